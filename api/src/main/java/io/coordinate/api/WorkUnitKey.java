package io.coordinate.api;

import io.coordinate.api.data.ByteString;
import java.util.Base64;
import java.util.Objects;

/**
 * The key of a work unit: arbitrary bytes (not necessarily UTF-8), compared unsigned byte-wise, equal
 * by content. Most keys are text, so {@link #of(String)} and {@link #toString()} make them easy to
 * write and read.
 */
public record WorkUnitKey(ByteString bytes) implements Comparable<WorkUnitKey> {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  public WorkUnitKey {
    Objects.requireNonNull(bytes, "bytes");
  }

  /** The key whose bytes are the UTF-8 encoding of {@code text}. */
  public static WorkUnitKey of(String text) {
    return new WorkUnitKey(ByteString.utf8(text));
  }

  /** The key with a copy of these bytes. */
  public static WorkUnitKey of(byte[] bytes) {
    return new WorkUnitKey(ByteString.copyOf(bytes));
  }

  /**
   * The key whose bytes {@code text} encodes in base64url without padding (RFC 4648 §5), the form
   * that names any key in a URL. Only the canonical spelling is accepted (no padding, no other
   * alphabet, no stray trailing bits), so each key has exactly one.
   *
   * @throws InvalidRequestException if {@code text} is not such a form
   */
  public static WorkUnitKey fromBase64Url(String text) {
    byte[] decoded;
    try {
      decoded = Base64.getUrlDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      decoded = null;
    }
    // The JDK decoder also takes padding and ignores stray trailing bits: insist on one spelling.
    if (decoded == null || !BASE64URL.encodeToString(decoded).equals(text)) {
      String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
      throw new InvalidRequestException(
          "work unit key \"" + shown + "\" is not unpadded base64url (RFC 4648 section 5)");
    }
    return of(decoded);
  }

  /** The key's bytes in base64url without padding: {@code "u1"} is {@code dTE}. */
  public String toBase64Url() {
    return BASE64URL.encodeToString(bytes.toByteArray());
  }

  /** A copy of the key's bytes. */
  public byte[] toByteArray() {
    return bytes.toByteArray();
  }

  /** The key as UTF-8 text (malformed bytes become U+FFFD; see {@link #isUtf8()}). */
  public String toUtf8() {
    return bytes.toUtf8();
  }

  /** True if the key's bytes are well-formed UTF-8. */
  public boolean isUtf8() {
    return bytes.isValidUtf8();
  }

  @Override
  public int compareTo(WorkUnitKey other) {
    return bytes.compareTo(other.bytes);
  }

  /** The text of the key, or {@code 0x} and hex digits when it is not UTF-8. */
  @Override
  public String toString() {
    return bytes.toString();
  }
}
