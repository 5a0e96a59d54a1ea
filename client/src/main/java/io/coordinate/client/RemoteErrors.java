package io.coordinate.client;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.CoordinateException;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.MaintenanceException;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.NoSuchWorkerException;
import io.coordinate.api.NotFoundException;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.RequestTimeoutException;
import io.coordinate.api.WorkUnitKey;
import java.util.function.Supplier;

/**
 * The one table that turns the daemon's error answers ({@code {"code", "message"}}) into the api's
 * exceptions. A 404 means one of two things: when the call looked a name up ({@link
 * io.coordinate.api.Namespace#workSpec}, {@link io.coordinate.api.WorkSpec#workUnit}, …), the
 * missing object is a {@link NotFoundException}; when it was made on a handle, the object behind
 * the handle (or behind one of its parents) was deleted: {@link GoneException}. A {@link Target}
 * carries that distinction.
 */
final class RemoteErrors {
  private RemoteErrors() {}

  /**
   * What a call acts on: how to name it in a {@link GoneException}, and, for a look-up, which
   * not-found code means "no such name" and the exception to raise then.
   */
  record Target(String what, String lookupCode, Supplier<NotFoundException> missing) {
    /** A call on a handle: every 404 about an object means it is gone. */
    static Target handle(String what) {
      return new Target(what, null, null);
    }

    /** What to raise when the object the call names does not exist (found no other way). */
    CoordinateException notFound() {
      return missing != null ? missing.get() : new GoneException(what);
    }

    /** A look-up of a work spec by name. */
    static Target workSpecLookup(String namespace, String spec) {
      return new Target(
          "namespace " + quote(namespace), "no_such_work_spec",
          () -> new NoSuchWorkSpecException(spec));
    }

    /** A look-up of a work unit by key. */
    static Target workUnitLookup(String namespace, String spec, WorkUnitKey key) {
      return new Target(
          "work spec " + quote(spec) + " of namespace " + quote(namespace), "no_such_work_unit",
          () -> new NoSuchWorkUnitException(spec, key));
    }

    /** A look-up of a worker by name. */
    static Target workerLookup(String namespace, String worker) {
      return new Target(
          "namespace " + quote(namespace), "no_such_worker",
          () -> new NoSuchWorkerException(worker));
    }
  }

  static String quote(String name) {
    return "'" + name + "'";
  }

  /** The 401 answer, with the same text whether the token was missing or wrong. */
  static final String UNAUTHORIZED = "the daemon refused the admin token (401 unauthorized)";

  /**
   * The exception for an error answer.
   *
   * @param status the HTTP status
   * @param code the body's {@code code}, or {@code null} when the body was not the API's error form
   * @param message the body's {@code message} (or a description of the answer)
   * @param target what the call acted on
   */
  static CoordinateException of(int status, String code, String message, Target target) {
    String c = code == null ? "" : code;
    return switch (c) {
      case "invalid_request", "malformed_body", "bad_request" ->
          new InvalidRequestException(message);
      case "invalid_work_spec" -> new InvalidWorkSpecException(message);
      case "no_such_work_spec", "no_such_work_unit", "no_such_worker" ->
          c.equals(target.lookupCode()) ? target.missing().get() : new GoneException(target.what());
      case "no_such_namespace", "gone" -> new GoneException(target.what());
      case "not_pending" -> new NotPendingException(message);
      case "lost_lease" -> new LostLeaseException(message);
      case "backend_unavailable" -> new BackendUnavailableException(message);
      case "request_timeout" -> new RequestTimeoutException(message);
      case "maintenance" -> new MaintenanceException(message);
      case "unauthorized" -> new InvalidRequestException(UNAUTHORIZED);
      default -> {
        String described = "the daemon answered HTTP " + status + (code == null ? "" : " " + code)
            + ": " + message;
        // A server error may pass with a retry; anything else is a request the daemon refuses
        // (an unknown route from an older daemon, a body over its size limit, ...).
        yield status >= 500
            ? new BackendUnavailableException(described)
            : new InvalidRequestException(described);
      }
    };
  }
}
