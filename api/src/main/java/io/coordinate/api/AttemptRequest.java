package io.coordinate.api;

import java.time.Duration;
import java.util.List;

/**
 * A worker's request for work ({@link Worker#requestAttempts}).
 *
 * @param numberOfWorkUnits how many units to get at most, all from one work spec; at least 1
 * @param lifetime the lease of each attempt; {@link #DEFAULT_LIFETIME} when {@code null}
 * @param availableGb memory the worker offers; recorded like the references, not a filter
 * @param workSpecs only these work specs (names that do not exist are ignored); empty for any
 * @param runtimes only specs whose runtime is one of these; empty for any
 * @param waitUpTo how long to wait for work when there is none now (a long-poll): the request
 *     returns as soon as it gets work, or empty once this has passed; zero (or {@code null})
 *     answers at once; at most {@link #MAX_WAIT}
 */
public record AttemptRequest(
    int numberOfWorkUnits,
    Duration lifetime,
    double availableGb,
    List<String> workSpecs,
    List<String> runtimes,
    Duration waitUpTo) {

  /** The lease when a request does not name one. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

  /**
   * The longest a request may wait for work. Longer than any sensible poll interval, short enough
   * that proxies and idle timeouts between a worker and the daemon leave the request alone.
   */
  public static final Duration MAX_WAIT = Duration.ofMinutes(5);

  public AttemptRequest {
    if (numberOfWorkUnits < 1) {
      numberOfWorkUnits = 1;
    }
    lifetime = lifetime == null ? DEFAULT_LIFETIME : lifetime;
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw new InvalidRequestException("attempt lifetime must be positive: " + lifetime);
    }
    workSpecs = workSpecs == null ? List.of() : List.copyOf(workSpecs);
    runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    waitUpTo = waitUpTo == null ? Duration.ZERO : waitUpTo;
    if (waitUpTo.isNegative() || waitUpTo.compareTo(MAX_WAIT) > 0) {
      throw new InvalidRequestException(
          "wait must be between 0 and " + MAX_WAIT.toSeconds() + " seconds: " + waitUpTo);
    }
  }

  /** A request that answers at once (no wait). */
  public AttemptRequest(
      int numberOfWorkUnits,
      Duration lifetime,
      double availableGb,
      List<String> workSpecs,
      List<String> runtimes) {
    this(numberOfWorkUnits, lifetime, availableGb, workSpecs, runtimes, Duration.ZERO);
  }

  /** One unit from any spec with the default lease. */
  public static AttemptRequest one() {
    return new AttemptRequest(1, null, 0, null, null);
  }

  /** Up to {@code n} units from any spec with the default lease. */
  public static AttemptRequest of(int n) {
    return new AttemptRequest(n, null, 0, null, null);
  }

  public AttemptRequest withNumberOfWorkUnits(int v) {
    return new AttemptRequest(v, lifetime, availableGb, workSpecs, runtimes, waitUpTo);
  }

  public AttemptRequest withLifetime(Duration v) {
    return new AttemptRequest(numberOfWorkUnits, v, availableGb, workSpecs, runtimes, waitUpTo);
  }

  public AttemptRequest withAvailableGb(double v) {
    return new AttemptRequest(numberOfWorkUnits, lifetime, v, workSpecs, runtimes, waitUpTo);
  }

  public AttemptRequest withWorkSpecs(String... v) {
    return new AttemptRequest(
        numberOfWorkUnits, lifetime, availableGb, List.of(v), runtimes, waitUpTo);
  }

  public AttemptRequest withRuntimes(String... v) {
    return new AttemptRequest(
        numberOfWorkUnits, lifetime, availableGb, workSpecs, List.of(v), waitUpTo);
  }

  /** This request, waiting up to {@code v} for work when there is none (a long-poll). */
  public AttemptRequest withWait(Duration v) {
    return new AttemptRequest(numberOfWorkUnits, lifetime, availableGb, workSpecs, runtimes, v);
  }

  /** Whether this request waits for work when there is none. */
  public boolean waits() {
    return !waitUpTo.isZero();
  }
}
