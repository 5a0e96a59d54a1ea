package io.coordinate.rest;

import io.coordinate.api.WorkUnitKey;
import java.util.Base64;

/**
 * How a work unit key is written in a URL (path segment or query parameter) and in the {@code
 * "key"} property of JSON: the key's bytes in base64url without padding (RFC 4648 §5). Keys are
 * bytes, not text, so this is the only form that can name every key; {@code "key_text"} is a
 * convenience for the common UTF-8 case.
 *
 * <p>Decoding is strict: only the canonical encoding of some byte string is accepted (no padding,
 * no line breaks, no other alphabet, no non-zero trailing bits), so each key has exactly one
 * spelling.
 */
final class Keys {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Keys() {}

  /** The base64url form of {@code key}'s bytes, without padding. */
  static String encode(WorkUnitKey key) {
    return ENCODER.encodeToString(key.toByteArray());
  }

  /**
   * The key whose canonical base64url form is {@code text}.
   *
   * @throws ApiException 400 {@code invalid_request} if {@code text} is not such a form
   */
  static WorkUnitKey decode(String text) {
    byte[] bytes;
    try {
      bytes = DECODER.decode(text);
    } catch (IllegalArgumentException e) {
      throw malformed(text);
    }
    // The JDK decoder also takes padding and ignores stray trailing bits: insist on one spelling.
    if (!ENCODER.encodeToString(bytes).equals(text)) {
      throw malformed(text);
    }
    return WorkUnitKey.of(bytes);
  }

  /** The key as text when its bytes are well-formed UTF-8, else {@code null}. */
  static String text(WorkUnitKey key) {
    return key.isUtf8() ? key.toUtf8() : null;
  }

  private static ApiException malformed(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return new ApiException(400, "invalid_request",
        "work unit key \"" + shown + "\" is not unpadded base64url (RFC 4648 section 5)");
  }
}
