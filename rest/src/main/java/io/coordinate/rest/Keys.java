package io.coordinate.rest;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkUnitKey;

/**
 * How a work unit key is written in a URL (path segment or query parameter) and in the {@code
 * "key"} property of JSON: {@link WorkUnitKey#toBase64Url()}. Keys are bytes, not text, so this is
 * the only form that can name every key; {@code "key_text"} is a convenience for the common UTF-8
 * case.
 */
final class Keys {
  private Keys() {}

  static String encode(WorkUnitKey key) {
    return key.toBase64Url();
  }

  /**
   * The key whose canonical base64url form is {@code text}.
   *
   * @throws ApiException 400 {@code invalid_request} otherwise
   */
  static WorkUnitKey decode(String text) {
    try {
      return WorkUnitKey.fromBase64Url(text);
    } catch (InvalidRequestException e) {
      throw new ApiException(400, "invalid_request", e.getMessage());
    }
  }

  /** The path segment naming the empty key, whose base64url form is empty; never base64url. */
  static final String EMPTY_KEY_SEGMENT = "~";

  /**
   * The key a {@code {key}} path segment names: its base64url form, or {@value
   * #EMPTY_KEY_SEGMENT} for the empty key (an empty segment cannot be routed).
   */
  static WorkUnitKey fromPath(String segment) {
    return segment.equals(EMPTY_KEY_SEGMENT) ? WorkUnitKey.of("") : decode(segment);
  }

  /** The key as text when its bytes are well-formed UTF-8, else {@code null}. */
  static String text(WorkUnitKey key) {
    return key.isUtf8() ? key.toUtf8() : null;
  }
}
