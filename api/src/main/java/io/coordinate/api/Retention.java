package io.coordinate.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a work spec keeps its finished and failed units before {@link WorkSpec#archive} deletes
 * them (with their attempts): for a time after they ended, and at most a number of them (the most
 * recently ended stay). A unit beyond either bound goes. Zero durations and counts keep everything,
 * which is the default. Units that are available, pending or delayed are never touched.
 *
 * <p>Set by the definition keys {@code retain_finished_seconds}, {@code retain_finished_count},
 * {@code retain_failed_seconds} and {@code retain_failed_count}, and changed at run time with
 * {@link WorkSpec#setMeta}.
 *
 * @param finishedFor how long a finished unit is kept after its last attempt ended; zero: forever
 * @param finishedCount how many finished units are kept; 0: no limit
 * @param failedFor how long a failed unit is kept after its last attempt ended; zero: forever
 * @param failedCount how many failed units are kept; 0: no limit
 */
public record Retention(Duration finishedFor, int finishedCount, Duration failedFor, int failedCount) {
  /** The longest duration accepted: about a hundred years. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_525);

  /** Keep everything. (After {@link #MAX_DURATION}, which its construction checks against.) */
  public static final Retention NONE = new Retention(Duration.ZERO, 0, Duration.ZERO, 0);

  /** @throws InvalidRequestException if a duration or count is negative or too long */
  public Retention {
    check(finishedFor, "retain_finished_seconds");
    check(failedFor, "retain_failed_seconds");
    if (finishedCount < 0) {
      throw new InvalidRequestException("retain_finished_count must not be negative: " + finishedCount);
    }
    if (failedCount < 0) {
      throw new InvalidRequestException("retain_failed_count must not be negative: " + failedCount);
    }
  }

  private static void check(Duration d, String name) {
    Objects.requireNonNull(d, name);
    if (d.isNegative() || d.compareTo(MAX_DURATION) > 0) {
      throw new InvalidRequestException(
          name + " must be from 0 (forever) to " + MAX_DURATION.toSeconds() + " seconds, not "
              + d.toSeconds());
    }
  }

  /** A duration of {@code seconds} (a non-negative number), for the keys named {@code name}. */
  public static Duration seconds(double seconds, String name) {
    if (!(seconds >= 0 && seconds <= MAX_DURATION.toSeconds())) {
      throw new InvalidRequestException(
          name + " must be from 0 (forever) to " + MAX_DURATION.toSeconds() + " seconds, not "
              + seconds);
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }

  /** True when nothing is ever deleted. */
  public boolean keepsEverything() {
    return keepsAllFinished() && keepsAllFailed();
  }

  /** True when no finished unit is ever deleted. */
  public boolean keepsAllFinished() {
    return finishedFor.isZero() && finishedCount == 0;
  }

  /** True when no failed unit is ever deleted. */
  public boolean keepsAllFailed() {
    return failedFor.isZero() && failedCount == 0;
  }

  public Retention withFinishedFor(Duration v) {
    return new Retention(v, finishedCount, failedFor, failedCount);
  }

  public Retention withFinishedCount(int v) {
    return new Retention(finishedFor, v, failedFor, failedCount);
  }

  public Retention withFailedFor(Duration v) {
    return new Retention(finishedFor, finishedCount, v, failedCount);
  }

  public Retention withFailedCount(int v) {
    return new Retention(finishedFor, finishedCount, failedFor, v);
  }
}
