package io.coordinate.memory;

import io.coordinate.api.AttemptStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;

/** One attempt's state. Guarded by its namespace's lock. */
final class AttemptState {
  /** Expiry order: expiration ascending, then a unique sequence number to break ties. */
  static final Comparator<AttemptState> BY_EXPIRATION =
      Comparator.<AttemptState, Instant>comparing(a -> a.expiration).thenComparingLong(a -> a.seq);

  final UnitState unit;
  final WorkerState worker;
  final long seq;
  final Instant start;
  AttemptStatus status = AttemptStatus.PENDING;
  Instant expiration;
  Instant end;
  /** Data this attempt recorded; {@code null} until it records any (then the unit's data shows). */
  Map<String, Object> data;

  AttemptState(UnitState unit, WorkerState worker, long seq, Instant start, Instant expiration) {
    this.unit = unit;
    this.worker = worker;
    this.seq = seq;
    this.start = start;
    this.expiration = expiration;
  }

  boolean isActive() {
    return unit.active == this;
  }

  Map<String, Object> effectiveData() {
    return data != null ? data : unit.data;
  }
}
