package io.coordinate.sql;

import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkUnitStatus;

/** The small integers the schema stores statuses as, in one place. */
final class Codes {
  private Codes() {}

  // work_unit.status
  static final int UNIT_AVAILABLE = 1;
  static final int UNIT_PENDING = 2;
  static final int UNIT_FINISHED = 3;
  static final int UNIT_FAILED = 4;

  // attempt.status
  static final int ATTEMPT_PENDING = 1;
  static final int ATTEMPT_EXPIRED = 2;
  static final int ATTEMPT_FINISHED = 3;
  static final int ATTEMPT_FAILED = 4;
  static final int ATTEMPT_RETRYABLE = 5;

  static AttemptStatus attemptStatus(int code) {
    return switch (code) {
      case ATTEMPT_PENDING -> AttemptStatus.PENDING;
      case ATTEMPT_EXPIRED -> AttemptStatus.EXPIRED;
      case ATTEMPT_FINISHED -> AttemptStatus.FINISHED;
      case ATTEMPT_FAILED -> AttemptStatus.FAILED;
      case ATTEMPT_RETRYABLE -> AttemptStatus.RETRYABLE;
      default -> throw new IllegalStateException("unknown attempt status code " + code);
    };
  }

  static int attemptCode(AttemptStatus status) {
    return switch (status) {
      case PENDING -> ATTEMPT_PENDING;
      case EXPIRED -> ATTEMPT_EXPIRED;
      case FINISHED -> ATTEMPT_FINISHED;
      case FAILED -> ATTEMPT_FAILED;
      case RETRYABLE -> ATTEMPT_RETRYABLE;
    };
  }

  /** The unit status column that mirrors an active attempt in this status. */
  static int unitCodeFor(AttemptStatus active) {
    return switch (active) {
      case PENDING -> UNIT_PENDING;
      case FINISHED -> UNIT_FINISHED;
      case FAILED -> UNIT_FAILED;
      case EXPIRED, RETRYABLE -> UNIT_AVAILABLE;
    };
  }

  /**
   * The status of a unit from its status column, not-before time and (when pending) its lease:
   * a pending unit whose lease ran out reads as available even before the sweep records it.
   */
  static WorkUnitStatus unitStatus(int code, Long notBefore, Long leaseExpiration, long now) {
    int effective = code;
    if (code == UNIT_PENDING && leaseExpiration != null && leaseExpiration < now) {
      effective = UNIT_AVAILABLE;
    }
    return switch (effective) {
      case UNIT_AVAILABLE ->
          notBefore != null && notBefore > now ? WorkUnitStatus.DELAYED : WorkUnitStatus.AVAILABLE;
      case UNIT_PENDING -> WorkUnitStatus.PENDING;
      case UNIT_FINISHED -> WorkUnitStatus.FINISHED;
      case UNIT_FAILED -> WorkUnitStatus.FAILED;
      default -> throw new IllegalStateException("unknown work unit status code " + code);
    };
  }
}
