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
 */
public record AttemptRequest(
    int numberOfWorkUnits,
    Duration lifetime,
    double availableGb,
    List<String> workSpecs,
    List<String> runtimes) {

  /** The lease when a request does not name one. */
  public static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);

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
    return new AttemptRequest(v, lifetime, availableGb, workSpecs, runtimes);
  }

  public AttemptRequest withLifetime(Duration v) {
    return new AttemptRequest(numberOfWorkUnits, v, availableGb, workSpecs, runtimes);
  }

  public AttemptRequest withAvailableGb(double v) {
    return new AttemptRequest(numberOfWorkUnits, lifetime, v, workSpecs, runtimes);
  }

  public AttemptRequest withWorkSpecs(String... v) {
    return new AttemptRequest(numberOfWorkUnits, lifetime, availableGb, List.of(v), runtimes);
  }

  public AttemptRequest withRuntimes(String... v) {
    return new AttemptRequest(numberOfWorkUnits, lifetime, availableGb, workSpecs, List.of(v));
  }
}
