package io.coordinate.api;

/** The attempt has already reached a state from which the requested transition is not allowed. */
public final class NotPendingException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public NotPendingException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.NOT_PENDING;
  }
}
