package io.coordinate.api;

/**
 * The root of every error the Coordinate API raises. Each subclass names one {@link ErrorKind};
 * callers test for a category with the static helpers rather than {@code instanceof} chains.
 */
public abstract sealed class CoordinateException extends RuntimeException
    permits NotFoundException,
        GoneException,
        LostLeaseException,
        NotPendingException,
        InvalidWorkSpecException,
        InvalidRequestException,
        BackendUnavailableException,
        RequestTimeoutException,
        MaintenanceException {

  private static final long serialVersionUID = 1L;

  protected CoordinateException(String message) {
    super(message);
  }

  protected CoordinateException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The category of this error. */
  public abstract ErrorKind kind();

  /** The kind of {@code t} if it is a Coordinate error, else {@code null}. */
  public static ErrorKind kindOf(Throwable t) {
    return t instanceof CoordinateException e ? e.kind() : null;
  }

  /** True for "no such work spec / work unit / worker". */
  public static boolean isNotFound(Throwable t) {
    return t instanceof NotFoundException;
  }

  /** True when the object was deleted after the handle was obtained. */
  public static boolean isGone(Throwable t) {
    return t instanceof GoneException;
  }

  /** True when the attempt lost its lease to another attempt. */
  public static boolean isLostLease(Throwable t) {
    return t instanceof LostLeaseException;
  }

  /** True when the attempt was not pending. */
  public static boolean isNotPending(Throwable t) {
    return t instanceof NotPendingException;
  }

  /** True for malformed input: a bad work spec definition or any other bad argument. */
  public static boolean isInvalid(Throwable t) {
    return t instanceof InvalidWorkSpecException || t instanceof InvalidRequestException;
  }

  /** True when the store is in maintenance mode and refused a change. */
  public static boolean isMaintenance(Throwable t) {
    return t instanceof MaintenanceException;
  }

  /** True when the storage could not be reached; the call may succeed later. */
  public static boolean isUnavailable(Throwable t) {
    return t instanceof BackendUnavailableException;
  }
}
