package io.coordinate.rest;

/**
 * An error the REST layer itself raises (no such namespace, a malformed body, a missing token),
 * already carrying its HTTP status and stable code. {@link HttpErrors} renders it like any other.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;

  ApiException(int status, String code, String message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  static ApiException noSuchNamespace(String name) {
    return new ApiException(404, "no_such_namespace", "no such namespace: " + name);
  }

  static ApiException unauthorized() {
    // Deliberately the same text for a missing, malformed or wrong token.
    return new ApiException(401, "unauthorized", "a valid bearer token is required");
  }
}
