package io.coordinate.api;

/**
 * An argument is malformed or out of range: a data value of an unsupported type, a negative limit, a
 * handle from another backend, asking a work spec that cannot be continuous to be continuous.
 */
public final class InvalidRequestException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public InvalidRequestException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INVALID_REQUEST;
  }
}
