package io.coordinate.rpc;

import io.coordinate.api.WorkUnitStatus;
import java.util.EnumSet;
import java.util.Set;

/** Python's work unit status codes and their mapping to the API's statuses. */
final class PyStatus {
  private PyStatus() {}

  static final long AVAILABLE = 1;
  /** Defined by Python, never produced: matches no unit. */
  static final long BLOCKED = 2;

  static final long PENDING = 3;
  static final long FINISHED = 4;
  static final long FAILED = 5;

  /** The Python code of a status; a delayed unit is available to Python clients. */
  static long of(WorkUnitStatus status) {
    return switch (status) {
      case AVAILABLE, DELAYED -> AVAILABLE;
      case PENDING -> PENDING;
      case FINISHED -> FINISHED;
      case FAILED -> FAILED;
    };
  }

  /** The API statuses a Python code stands for (empty for BLOCKED). */
  static Set<WorkUnitStatus> statuses(long code) {
    if (code == AVAILABLE) {
      return EnumSet.of(WorkUnitStatus.AVAILABLE, WorkUnitStatus.DELAYED);
    }
    if (code == PENDING) {
      return EnumSet.of(WorkUnitStatus.PENDING);
    }
    if (code == FINISHED) {
      return EnumSet.of(WorkUnitStatus.FINISHED);
    }
    if (code == FAILED) {
      return EnumSet.of(WorkUnitStatus.FAILED);
    }
    if (code == BLOCKED) {
      return EnumSet.noneOf(WorkUnitStatus.class);
    }
    throw new RpcError("invalid work unit status " + code);
  }

  /** A {@code state} option: one code, or a list or tuple of codes. */
  static Set<WorkUnitStatus> parseState(Object state) {
    Set<WorkUnitStatus> result = EnumSet.noneOf(WorkUnitStatus.class);
    java.util.List<?> codes = Params.asList(state);
    if (codes == null) {
      result.addAll(statuses(Numbers.requireLong(state, "state")));
    } else {
      for (Object code : codes) {
        result.addAll(statuses(Numbers.requireLong(code, "state")));
      }
    }
    return result;
  }
}
