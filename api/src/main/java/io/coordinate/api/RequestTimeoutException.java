package io.coordinate.api;

/**
 * The request's {@link Deadline} passed before the backend could serve it (all database
 * connections were busy, say); nothing was changed by the call, and it may be tried again.
 */
public final class RequestTimeoutException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public RequestTimeoutException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.REQUEST_TIMEOUT;
  }
}
