package io.coordinate.cli;

import io.coordinate.api.CoordinateException;
import io.coordinate.api.ErrorKind;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;

/**
 * The one table from what went wrong to an exit code and the message on standard error. Every
 * command ends through it, so a new exception type is handled here or nowhere.
 */
final class Failures {
  private Failures() {}

  /** How a failed command ends. */
  record Outcome(int exitCode, String message) {}

  /**
   * The exit code and message for {@code t}.
   *
   * @param target the daemon and token the command used; {@code null} if it failed before they
   *     were resolved
   */
  static Outcome of(Throwable t, Target target) {
    if (t instanceof CliFailure f) {
      return new Outcome(f.exitCode(), f.getMessage());
    }
    if (t instanceof CoordinateException e) {
      if (isUnauthorized(e)) {
        return new Outcome(ExitCodes.UNAUTHORIZED, unauthorized(target));
      }
      return switch (e.kind()) {
        case BACKEND_UNAVAILABLE -> new Outcome(ExitCodes.UNAVAILABLE, unavailable(e, target));
        case REQUEST_TIMEOUT -> new Outcome(ExitCodes.UNAVAILABLE, e.getMessage());
        case MAINTENANCE -> new Outcome(ExitCodes.MAINTENANCE, e.getMessage());
        case NO_SUCH_WORK_SPEC -> new Outcome(ExitCodes.FAILED, e.getMessage()
            + (target == null ? "" : " in " + target.namespaceLabel()));
        case NO_SUCH_WORK_UNIT, NO_SUCH_WORKER, GONE, LOST_LEASE, NOT_PENDING,
            INVALID_WORK_SPEC, INVALID_REQUEST -> new Outcome(ExitCodes.FAILED, e.getMessage());
      };
    }
    return new Outcome(ExitCodes.FAILED, "unexpected error: " + t
        + " (--verbose shows where it happened)");
  }

  /**
   * The remote client reports a 401 as an invalid request with a fixed text (the same for a
   * missing and a wrong token); a proxy's 401 comes through as "answered HTTP 401".
   */
  private static boolean isUnauthorized(CoordinateException e) {
    String m = e.getMessage() == null ? "" : e.getMessage();
    return e.kind() == ErrorKind.INVALID_REQUEST
        && (m.contains("(401 unauthorized)") || m.startsWith("the daemon answered HTTP 401"));
  }

  private static String unauthorized(Target target) {
    if (target == null) {
      return "the daemon refused the request (401 unauthorized)";
    }
    if (target.token().isEmpty()) {
      return "the daemon at " + target.url() + " needs an admin token: pass --token-file FILE or"
          + " --token TOKEN, set $" + Configuration.TOKEN_VARIABLE + ", or put token= in the"
          + " configuration file";
    }
    return "the daemon at " + target.url() + " refused the admin token from "
        + target.tokenSource() + " (401 unauthorized)";
  }

  private static String unavailable(CoordinateException e, Target target) {
    String where = target == null ? "the daemon"
        : "the daemon at " + target.url() + " (from " + target.urlSource() + ")";
    if (hasCause(e, ConnectException.class) && !hasCause(e, HttpConnectTimeoutException.class)) {
      return "cannot reach " + where + ": connection refused; is the daemon running, and is this"
          + " its REST address (coordinated --http)?";
    }
    if (hasCause(e, UnknownHostException.class) || hasCause(e, UnresolvedAddressException.class)) {
      return "cannot reach " + where + ": unknown host";
    }
    if (hasCause(e, HttpTimeoutException.class)) {
      return where + " did not answer in time";
    }
    return where + " is unavailable: " + e.getMessage();
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (type.isInstance(c)) {
        return true;
      }
    }
    return false;
  }
}
