package io.coordinate.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The run-time control data of a work spec: what the scheduler reads and operators change. Its
 * defaults come from the definition ({@link WorkSpecDefinition#defaultMeta()}); {@link
 * WorkSpec#setMeta} changes the mutable fields without touching the definition.
 *
 * @param priority absolute priority: work specs of a higher priority always run first
 * @param weight relative share of pending units among specs of equal priority; 0 stops scheduling
 * @param paused no new attempts are handed out while true
 * @param continuous whether the scheduler may create units when none are available
 * @param canBeContinuous from the definition's {@code continuous} key; {@code setMeta} ignores it
 * @param interval minimum time between two continuous units
 * @param nextContinuous the earliest time of the next continuous unit ({@link Instant#EPOCH}: now)
 * @param maxRunning most units pending at once across the system; 0 is unlimited
 * @param maxAttemptsReturned most attempts one request gets; 0 is unlimited
 * @param maxRetries most attempts a unit may have; 0 is unlimited
 * @param nextWorkSpecName the {@code then} spec successful outputs chain into; "" for none ({@code
 *     setMeta} ignores it)
 * @param runtime the runtime the spec needs; "" is the classic Python worker ({@code setMeta}
 *     ignores it)
 * @param minMemoryGb the definition's {@code min_gb}; recorded, not enforced ({@code setMeta}
 *     ignores it)
 * @param rateLimit how fast units may be handed out ({@link RateLimit#NONE}: no limit)
 * @param retention how long finished and failed units are kept ({@link Retention#NONE}: forever)
 * @param counts available and pending counts, present only when asked for
 */
public record WorkSpecMeta(
    int priority,
    int weight,
    boolean paused,
    boolean continuous,
    boolean canBeContinuous,
    Duration interval,
    Instant nextContinuous,
    int maxRunning,
    int maxAttemptsReturned,
    int maxRetries,
    String nextWorkSpecName,
    String runtime,
    double minMemoryGb,
    RateLimit rateLimit,
    Retention retention,
    Optional<Counts> counts) {

  /** Weight when the definition sets neither {@code weight} nor {@code nice}. */
  public static final int DEFAULT_WEIGHT = 20;

  /**
   * Exact counts of a work spec's units that the scheduler cares about.
   *
   * @param available units a worker could take now (not delayed)
   * @param pending units whose active attempt is pending
   */
  public record Counts(long available, long pending) {}

  public WorkSpecMeta {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(nextContinuous, "nextContinuous");
    nextWorkSpecName = nextWorkSpecName == null ? "" : nextWorkSpecName;
    runtime = runtime == null ? "" : runtime;
    counts = counts == null ? Optional.empty() : counts;
    rateLimit = rateLimit == null ? RateLimit.NONE : rateLimit;
    retention = retention == null ? Retention.NONE : retention;
    if (weight < 0) {
      throw new InvalidRequestException("weight must not be negative: " + weight);
    }
    if (maxRunning < 0 || maxAttemptsReturned < 0 || maxRetries < 0) {
      throw new InvalidRequestException(
          "max_running, max_getwork and max_retries must not be negative");
    }
    if (interval.isNegative()) {
      throw new InvalidRequestException("interval must not be negative: " + interval);
    }
  }

  /** Available count, or 0 when counts were not requested. */
  public long availableCount() {
    return counts.map(Counts::available).orElse(0L);
  }

  /** Pending count, or 0 when counts were not requested. */
  public long pendingCount() {
    return counts.map(Counts::pending).orElse(0L);
  }

  public WorkSpecMeta withPriority(int v) {
    return new WorkSpecMeta(v, weight, paused, continuous, canBeContinuous, interval, nextContinuous,
        maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime, minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withWeight(int v) {
    return new WorkSpecMeta(priority, v, paused, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime,
        minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withPaused(boolean v) {
    return new WorkSpecMeta(priority, weight, v, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime,
        minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withContinuous(boolean v) {
    return new WorkSpecMeta(priority, weight, paused, v, canBeContinuous, interval, nextContinuous,
        maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime, minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withInterval(Duration v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, v,
        nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime,
        minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withNextContinuous(Instant v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval, v,
        maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime, minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withMaxRunning(int v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval,
        nextContinuous, v, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime, minMemoryGb,
        rateLimit, retention, counts);
  }

  public WorkSpecMeta withMaxAttemptsReturned(int v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, v, maxRetries, nextWorkSpecName, runtime, minMemoryGb, rateLimit, retention, counts);
  }

  public WorkSpecMeta withMaxRetries(int v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, maxAttemptsReturned, v, nextWorkSpecName, runtime, minMemoryGb,
        rateLimit, retention, counts);
  }

  public WorkSpecMeta withRateLimit(RateLimit v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime,
        minMemoryGb, Objects.requireNonNull(v, "rateLimit"), retention, counts);
  }

  public WorkSpecMeta withRetention(Retention v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime,
        minMemoryGb, rateLimit, Objects.requireNonNull(v, "retention"), counts);
  }

  /** This meta with the given counts attached ({@code null} removes them). */
  public WorkSpecMeta withCounts(Counts v) {
    return new WorkSpecMeta(priority, weight, paused, continuous, canBeContinuous, interval,
        nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, nextWorkSpecName, runtime,
        minMemoryGb, rateLimit, retention, Optional.ofNullable(v));
  }

  /**
   * The fields {@link WorkSpec#setMeta} may change, taken from {@code requested}, over the fixed
   * fields of this meta (can-be-continuous, next spec, runtime, min memory). Counts are dropped.
   *
   * @throws InvalidRequestException if {@code requested} asks a spec that cannot be continuous to
   *     be continuous
   */
  public WorkSpecMeta applyChange(WorkSpecMeta requested) {
    if (requested.continuous && !canBeContinuous) {
      throw new InvalidRequestException(
          "work spec cannot be continuous: its definition does not say \"continuous\": true");
    }
    return new WorkSpecMeta(requested.priority, requested.weight, requested.paused,
        requested.continuous, canBeContinuous, requested.interval, requested.nextContinuous,
        requested.maxRunning, requested.maxAttemptsReturned, requested.maxRetries,
        nextWorkSpecName, runtime, minMemoryGb, requested.rateLimit, requested.retention,
        Optional.empty());
  }

  /** True if the spec may create a continuous unit now: see SPEC §3 step 6. */
  public boolean canStartContinuous(Instant now) {
    return continuous
        && availableCount() == 0
        && pendingCount() == 0
        && !now.isBefore(nextContinuous);
  }

  /**
   * True if the scheduler may pick this spec now: not paused, positive weight, under max_running,
   * and an available unit or a continuous unit to create. Needs counts. The rate limit's tokens
   * are the backend's state, not meta: the scheduler weighs them separately (see {@code
   * Scheduler.Candidate}).
   */
  public boolean canDoWork(Instant now) {
    if (paused || weight <= 0) {
      return false;
    }
    if (maxRunning > 0 && pendingCount() >= maxRunning) {
      return false;
    }
    return availableCount() > 0 || canStartContinuous(now);
  }
}
