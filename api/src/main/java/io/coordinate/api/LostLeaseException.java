package io.coordinate.api;

/**
 * The attempt is no longer its work unit's active attempt (another worker took the unit over after
 * the lease expired). A renew that raises this still recorded the data it carried.
 */
public final class LostLeaseException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public LostLeaseException(String message) {
    super(message);
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.LOST_LEASE;
  }
}
