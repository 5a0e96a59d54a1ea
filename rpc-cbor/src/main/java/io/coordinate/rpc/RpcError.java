package io.coordinate.rpc;

/**
 * A request the server answers with an error response ({@code {error: {message}}}) rather than a
 * result: a malformed request, an unknown method, wrong parameters, or a hard failure.
 */
final class RpcError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RpcError(String message) {
    super(message, null, false, false);
  }

  RpcError(String message, Throwable cause) {
    super(message, cause, false, false);
  }
}
