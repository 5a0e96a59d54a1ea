package io.coordinate.api;

/**
 * The store is in maintenance mode and refuses this change; it is accepted again once an operator
 * turns maintenance mode off.
 */
public final class MaintenanceException extends CoordinateException {
  private static final long serialVersionUID = 1L;

  public MaintenanceException(String message) {
    super(message);
  }

  /** The refusal of {@code what} while {@code state} is on, with the operator's reason. */
  public static MaintenanceException refusing(String what, MaintenanceState state) {
    return new MaintenanceException(
        "the store is in maintenance mode"
            + (state.reason().isEmpty() ? "" : " (" + state.reason() + ")")
            + ": " + what + " is refused until it is turned off");
  }

  @Override
  public ErrorKind kind() {
    return ErrorKind.MAINTENANCE;
  }
}
