package io.coordinate.api;

/** A work spec definition is malformed: no name, a name that is not a string, a wrong-typed key. */
public final class InvalidWorkSpecException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public InvalidWorkSpecException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.INVALID_WORK_SPEC;
  }
}
