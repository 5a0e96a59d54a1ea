package io.coordinate.api;

/** The storage behind the backend cannot be reached or failed; nothing was changed by the call. */
public final class BackendUnavailableException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public BackendUnavailableException(String message) {
    super(message);
  }

  public BackendUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.BACKEND_UNAVAILABLE;
  }
}
