package io.coordinate.api;

/** A named object does not exist. */
public abstract sealed class NotFoundException extends CoordinateException
    permits NoSuchWorkSpecException, NoSuchWorkUnitException, NoSuchWorkerException {

  private static final long serialVersionUID = 1L;

  protected NotFoundException(String message) {
    super(message);
  }
}
