package io.coordinate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One worker's attempt at one work unit: a lease with its own copy of the unit's data.
 *
 * <p>Transitions. {@link #finish}, {@link #fail}, {@link #retry} and {@link #expire} move a pending
 * attempt to its final state; an attempt that expired by time but is still its unit's active attempt
 * counts as pending for them (a late worker may still complete it if nobody took the unit over).
 * {@link #finish} also succeeds after {@link #fail} (a child that finished after its parent gave
 * up): the success wins and chains its outputs. Anything else raises {@link NotPendingException}
 * and changes nothing. Once a unit is deleted, its attempts raise {@link GoneException}.
 *
 * <p>Data arguments may be {@code null}: the attempt keeps its data.
 */
public interface Attempt {

  /** The unit being attempted. */
  WorkUnit workUnit();

  /** The worker doing it. */
  Worker worker();

  /** The current status; an attempt past its expiration reads as {@link AttemptStatus#EXPIRED}. */
  AttemptStatus status();

  /** The attempt's copy of the unit data. */
  Map<String, Object> data();

  /** When the attempt was made. */
  Instant startTime();

  /** When it reached a final state; empty while pending. */
  Optional<Instant> endTime();

  /** When the lease runs out. */
  Instant expirationTime();

  /**
   * {@link #status()}, {@link #data()}, {@link #startTime()}, {@link #endTime()} and {@link
   * #expirationTime()} in one call; backends that store attempts remotely answer it in one read.
   */
  default AttemptState state() {
    return new AttemptState(status(), data(), startTime(), endTime(), expirationTime());
  }

  /**
   * Extends the lease to now + {@code extension}, optionally replacing the data. Works while pending,
   * or expired but still active (the attempt becomes pending again).
   *
   * @throws LostLeaseException if another attempt has become the unit's active attempt; the data
   *     is still recorded and this attempt is marked expired
   * @throws NotPendingException if the attempt already finished, failed or was retried
   */
  void renew(Duration extension, Map<String, ?> data);

  /** Ends the lease now: the unit becomes available. No effect if already expired. */
  void expire(Map<String, ?> data);

  /** Completes successfully; chains {@code output} into the {@code then} spec. */
  void finish(Map<String, ?> data);

  /** Completes unsuccessfully; the unit is failed. */
  void fail(Map<String, ?> data);

  /**
   * Gives the unit back for another try, not before now + {@code delay} ({@code null} or zero: now).
   */
  void retry(Map<String, ?> data, Duration delay);
}
