package io.coordinate.api;

/**
 * Told by a backend when its attempts change state, so that counters per work spec (metrics) see
 * every transition, whichever front end caused it: CBOR-RPC, REST or a Java caller. Backends take
 * one when they are created; {@link #NONE} ignores everything.
 *
 * <p>What each {@link Transition} counts, in every backend alike:
 *
 * <ul>
 *   <li>{@link Transition#LEASED}: a pending attempt given to a worker ({@link
 *       Worker#requestAttempts} and {@link Worker#makeAttempt}). A unit over its spec's {@code
 *       max_retries} that a request fails instead of handing out is not leased, only failed.
 *   <li>{@link Transition#FINISHED}, {@link Transition#FAILED}, {@link Transition#RETRIED}: an
 *       attempt finished, failed (by its worker, or for too many retries) or given back for retry.
 *       A late finish after a fail counts as finished too (the success wins; the failure stays
 *       counted).
 *   <li>{@link Transition#EXPIRED}: a lease that ended without a result: its time ran out, its
 *       worker expired it, or the unit was re-added, cleared or leased by force while it was
 *       pending. A lease that ran out is counted once, when the backend records it: the in-memory
 *       backend on the namespace's next call, the SQL backend when a call's expiry sweep records it
 *       or when a call that changes the lease (completing or renewing it, re-adding, clearing or
 *       force-leasing its unit) comes first. So an attempt past its time that its worker still
 *       finishes counts as expired and finished, as it does in memory; and one that is renewed and
 *       runs out again counts twice.
 *   <li>{@link Transition#ADDED}: units added to a spec, or re-added (queued again), by an add
 *       call or by chaining a finished unit's outputs. Told so that requests waiting for work (see
 *       {@link AttemptRequest#waitUpTo()}) wake up; restoring units from an export is not told.
 * </ul>
 *
 * <p>Deleting units, specs or namespaces counts nothing. Only changes that took effect are told: a
 * call that fails changes nothing and tells nothing, and the SQL backend tells after its transaction
 * commits. Calls come synchronously from the thread that made the change (in the in-memory backend
 * while it holds the namespace's lock), so an implementation must be quick, thread-safe, must not
 * throw, and must not call back into the backend.
 */
@FunctionalInterface
public interface UnitEvents {
  /** The attempt transitions that are told. */
  enum Transition {
    LEASED,
    FINISHED,
    FAILED,
    RETRIED,
    EXPIRED,
    ADDED
  }

  /** Ignores every transition: a backend created without a listener. */
  UnitEvents NONE = (namespace, workSpec, transition, units) -> {};

  /**
   * {@code units} work units of {@code workSpec} in {@code namespace} went through {@code
   * transition} (always at least 1).
   */
  void record(String namespace, String workSpec, Transition transition, int units);

  /** Tells this listener, then {@code next}. */
  default UnitEvents andThen(UnitEvents next) {
    if (next == NONE) {
      return this;
    }
    if (this == NONE) {
      return next;
    }
    return (namespace, workSpec, transition, units) -> {
      record(namespace, workSpec, transition, units);
      next.record(namespace, workSpec, transition, units);
    };
  }
}
