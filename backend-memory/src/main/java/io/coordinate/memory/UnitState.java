package io.coordinate.memory;

import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** One work unit's state. Guarded by its namespace's lock. */
final class UnitState {
  /** Lease order: priority descending, then key ascending. */
  static final Comparator<UnitState> BY_LEASE_ORDER =
      Comparator.<UnitState>comparingDouble(u -> -u.priority).thenComparing(u -> u.key);

  /** Delay order: not-before ascending, then a unique sequence number to break ties. */
  static final Comparator<UnitState> BY_NOT_BEFORE =
      Comparator.<UnitState, Instant>comparing(u -> u.notBefore).thenComparingLong(u -> u.seq);

  /**
   * End order of finished and failed units: when their last attempt ended (as indexed), then the
   * unit's sequence number. What retention deletes first.
   */
  static final Comparator<UnitState> BY_END =
      Comparator.<UnitState, Instant>comparing(u -> u.indexedEnd).thenComparingLong(u -> u.seq);

  final SpecState spec;
  final WorkUnitKey key;
  final long seq;
  Map<String, Object> data;
  double priority;
  Instant notBefore;
  AttemptState active;
  final List<AttemptState> attempts = new ArrayList<>(1);
  /** The status the indexes and counts currently hold this unit under. */
  WorkUnitStatus indexedStatus;
  /**
   * The end time the retention index holds this unit under while it is finished or failed: a copy,
   * so a later change of the attempt's end cannot lose the unit in its sorted set.
   */
  Instant indexedEnd;
  boolean deleted;

  UnitState(SpecState spec, WorkUnitKey key, long seq) {
    this.spec = spec;
    this.key = key;
    this.seq = seq;
  }

  /** The status the rules give this unit at {@code now}. */
  WorkUnitStatus statusAt(Instant now) {
    if (active != null) {
      switch (active.status) {
        case PENDING:
          return WorkUnitStatus.PENDING;
        case FINISHED:
          return WorkUnitStatus.FINISHED;
        case FAILED:
          return WorkUnitStatus.FAILED;
        default:
          break; // EXPIRED and RETRYABLE units are available again
      }
    }
    return notBefore != null && notBefore.isAfter(now)
        ? WorkUnitStatus.DELAYED
        : WorkUnitStatus.AVAILABLE;
  }

  /** The data callers see: the active attempt's when it recorded any, else the unit's own. */
  Map<String, Object> effectiveData() {
    return active != null && active.data != null ? active.data : data;
  }

  boolean activeIs(AttemptStatus status) {
    return active != null && active.status == status;
  }
}
