package io.coordinate.api;

/** The status of a work unit, derived from its active attempt and its not-before time. */
public enum WorkUnitStatus {
  /** No active attempt (or the active one expired or is retryable): a worker may take it. */
  AVAILABLE,
  /** The active attempt is pending: a worker is doing it. */
  PENDING,
  /** The active attempt finished successfully. */
  FINISHED,
  /** The active attempt failed. */
  FAILED,
  /** Available, except that its not-before time has not come yet. */
  DELAYED
}
