package io.coordinate.api;

/** The status of one attempt. Only {@link #PENDING} is not final (and see {@link Attempt#renew}). */
public enum AttemptStatus {
  /** The worker is (as far as anyone knows) still working on it. */
  PENDING,
  /** The lease ran out, or the attempt was expired explicitly. */
  EXPIRED,
  /** The worker completed the unit successfully. */
  FINISHED,
  /** The worker completed the unit unsuccessfully. */
  FAILED,
  /** The worker failed transiently; the unit is available again (possibly after a delay). */
  RETRYABLE
}
