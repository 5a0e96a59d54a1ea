package io.coordinate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.data.ByteString;
import java.util.Base64;

/**
 * Work unit keys on the command line, in tables and in JSON. Keys are bytes; most are text.
 *
 * <ul>
 *   <li>Arguments are UTF-8 text, or with {@code --key-base64} base64 (URL-safe or standard
 *       alphabet, padding optional).
 *   <li>Tables show a key as its text when it is "plain": well-formed UTF-8, not empty, without
 *       control or invisible formatting characters, without leading or trailing white space, and
 *       not starting with {@value #BASE64_PREFIX}. Any other key is shown as {@value
 *       #BASE64_PREFIX} and its bytes in unpadded base64url, so what a table shows is never
 *       ambiguous.
 *   <li>JSON gives a key as a string when it is well-formed UTF-8, else as {@code {"$bytes":
 *       "<standard base64>"}}, the tagged form data maps use.
 * </ul>
 */
final class Keys {
  private Keys() {}

  /** What starts a key shown in base64 in a table. */
  static final String BASE64_PREFIX = "base64:";

  private static final Base64.Encoder URL = Base64.getUrlEncoder().withoutPadding();

  /**
   * The key an argument names.
   *
   * @throws CliFailure (usage) if {@code base64} and the argument is not base64
   */
  static WorkUnitKey parse(String argument, boolean base64) {
    if (!base64) {
      return WorkUnitKey.of(argument);
    }
    return WorkUnitKey.of(decodeBase64(argument, "key"));
  }

  /** Decodes base64 in either alphabet, with or without padding. */
  static byte[] decodeBase64(String text, String what) {
    String url = text.strip().replace('+', '-').replace('/', '_');
    int end = url.length();
    while (end > 0 && url.charAt(end - 1) == '=') {
      end--;
    }
    try {
      return Base64.getUrlDecoder().decode(url.substring(0, end));
    } catch (IllegalArgumentException e) {
      throw CliFailure.usage(what + " \"" + text + "\" is not base64: " + e.getMessage());
    }
  }

  /** The key as a table shows it (see the class comment). */
  static String display(WorkUnitKey key) {
    return isPlain(key) ? key.toUtf8() : BASE64_PREFIX + URL.encodeToString(key.toByteArray());
  }

  /** The key as JSON writes it: a string, or a {@link ByteString} that the data module tags. */
  static Object json(WorkUnitKey key) {
    return key.isUtf8() ? key.toUtf8() : key.bytes();
  }

  /**
   * The key a JSON value names: a string (its UTF-8 bytes) or {@code {"$bytes": base64}}.
   *
   * @throws IllegalArgumentException if it is neither
   */
  static WorkUnitKey fromJson(JsonNode node) {
    if (node != null && node.isTextual()) {
      return WorkUnitKey.of(node.textValue());
    }
    if (node != null && node.isObject() && node.size() == 1 && node.has("$bytes")
        && node.get("$bytes").isTextual()) {
      try {
        return WorkUnitKey.of(Base64.getDecoder().decode(node.get("$bytes").textValue()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("\"key\" {\"$bytes\": ...} is not standard base64");
      }
    }
    throw new IllegalArgumentException(
        "\"key\" must be a string or {\"$bytes\": \"<standard base64>\"}");
  }

  /**
   * The command-line arguments that name this key again, e.g. after {@code --after}: the text in
   * single quotes, or base64 with a note that it needs {@code --key-base64}.
   */
  static String argument(WorkUnitKey key) {
    if (isPlain(key)) {
      return "'" + key.toUtf8().replace("'", "'\\''") + "'";
    }
    return URL.encodeToString(key.toByteArray()) + " (with --key-base64)";
  }

  static boolean isPlain(WorkUnitKey key) {
    if (key.bytes().size() == 0 || !key.isUtf8()) {
      return false;
    }
    String text = key.toUtf8();
    if (text.startsWith(BASE64_PREFIX) || !text.equals(text.strip())) {
      return false;
    }
    return text.codePoints().allMatch(Keys::isVisible);
  }

  private static boolean isVisible(int cp) {
    if (Character.isISOControl(cp)) {
      return false;
    }
    int type = Character.getType(cp);
    return type != Character.FORMAT
        && type != Character.LINE_SEPARATOR
        && type != Character.PARAGRAPH_SEPARATOR
        && type != Character.SURROGATE;
  }
}
