package io.coordinate.rpc;

import io.coordinate.api.CoordinateException;
import io.coordinate.api.ErrorKind;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import java.util.EnumMap;
import java.util.Map;

/**
 * The one place where API errors become CBOR-RPC answers. Something that is missing or in the wrong
 * state is a soft failure, answered in-band as the reference servers do: {@code [failure value,
 * message]} where the failure value is the method's (false, null or 0). A malformed request (a bad
 * work spec definition, data outside the model, an out-of-range setting) and a failing store are
 * error replies: the Python client raises on those, where an in-band false would often only be
 * logged, a silent wrong answer for the caller.
 */
final class ErrorMapping {
  private ErrorMapping() {}

  enum Form {
    IN_BAND,
    ERROR_REPLY
  }

  private static final Map<ErrorKind, Form> FORMS = new EnumMap<>(ErrorKind.class);

  static {
    FORMS.put(ErrorKind.NO_SUCH_WORK_SPEC, Form.IN_BAND);
    FORMS.put(ErrorKind.NO_SUCH_WORK_UNIT, Form.IN_BAND);
    FORMS.put(ErrorKind.NO_SUCH_WORKER, Form.IN_BAND);
    FORMS.put(ErrorKind.GONE, Form.IN_BAND); // deleted by someone else meanwhile: as if missing
    FORMS.put(ErrorKind.LOST_LEASE, Form.IN_BAND);
    FORMS.put(ErrorKind.NOT_PENDING, Form.IN_BAND);
    FORMS.put(ErrorKind.INVALID_WORK_SPEC, Form.ERROR_REPLY);
    FORMS.put(ErrorKind.INVALID_REQUEST, Form.ERROR_REPLY);
    FORMS.put(ErrorKind.BACKEND_UNAVAILABLE, Form.ERROR_REPLY);
    FORMS.put(ErrorKind.REQUEST_TIMEOUT, Form.ERROR_REPLY);
    // Refused for now, as an operator chose: said in-band, so clients do not raise in a loop.
    FORMS.put(ErrorKind.MAINTENANCE, Form.IN_BAND);
  }

  static Form formOf(CoordinateException e) {
    return FORMS.getOrDefault(e.kind(), Form.ERROR_REPLY);
  }

  /** The in-band message, worded as the reference server words it where clients may show it. */
  static String message(CoordinateException e) {
    if (e instanceof NoSuchWorkSpecException n) {
      return "no such work_spec '" + n.workSpecName() + "'";
    }
    if (e instanceof NoSuchWorkUnitException n) {
      return "no such work unit key='" + n.key() + "'";
    }
    return e.getMessage();
  }
}
