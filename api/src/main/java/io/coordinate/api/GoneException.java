package io.coordinate.api;

/**
 * The object behind a handle was deleted after the handle was obtained. Handles never act on a stale
 * copy: every use of a deleted namespace, work spec, work unit, worker or attempt raises this.
 */
public final class GoneException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public GoneException(String what) {
    super(what + " has been deleted");
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.GONE;
  }
}
