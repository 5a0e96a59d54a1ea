package io.coordinate.rest;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.PathSegments;
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

  /**
   * The key a {@code {key}} path segment names ({@link PathSegments#key}).
   *
   * @throws ApiException 400 {@code invalid_request} if it names none
   */
  static WorkUnitKey fromPath(String segment) {
    try {
      return PathSegments.key(segment);
    } catch (InvalidRequestException e) {
      throw new ApiException(400, "invalid_request", e.getMessage());
    }
  }

  /** The key as text when its bytes are well-formed UTF-8, else {@code null}. */
  static String text(WorkUnitKey key) {
    return key.isUtf8() ? key.toUtf8() : null;
  }
}
