package io.coordinate.api.scheduling;

import io.coordinate.api.RateLimit;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The state of a work spec's {@link RateLimit}: how many tokens its bucket held at a time. Backends
 * keep one per rate-limited spec and change it only while they hold what serializes that spec's
 * leases (the namespace lock in memory, the spec's row lock in SQL), so it is exact across threads
 * and, on a shared database, across daemons. {@code null} stands for a full bucket: a spec that has
 * not been limited yet, or whose limit was just set, may hand out its whole burst at once.
 *
 * <p>Time only moves the bucket forward: a clock reading before {@link #asOf} (another daemon's
 * clock running ahead of this one) refills nothing, so the tokens a skewed clock adds are at most
 * the skew's worth, once, never a repeated gain.
 *
 * @param tokens tokens held at {@code asOf}; a fraction counts toward the next unit
 * @param asOf the time those tokens were counted
 */
public record TokenBucket(double tokens, Instant asOf) {
  /**
   * Slack when counting whole tokens: the refill is floating point, and a bucket that holds exactly
   * one token after some arithmetic must not read as 0.999… and hold the spec back.
   */
  private static final double EPSILON = 1e-9;

  public TokenBucket {
    Objects.requireNonNull(asOf, "asOf");
  }

  /**
   * The bucket {@code stored} (null: full) refilled at {@code limit}'s rate up to {@code now} and
   * capped at its capacity; null when the spec is unlimited.
   */
  public static TokenBucket current(RateLimit limit, TokenBucket stored, Instant now) {
    if (limit.unlimited()) {
      return null;
    }
    int capacity = limit.capacity();
    if (stored == null) {
      return new TokenBucket(capacity, now);
    }
    if (!now.isAfter(stored.asOf)) {
      return new TokenBucket(Math.min(capacity, stored.tokens), stored.asOf);
    }
    double elapsed = seconds(Duration.between(stored.asOf, now));
    return new TokenBucket(Math.min(capacity, stored.tokens + elapsed * limit.perSecond()), now);
  }

  /**
   * How many units {@code limit} lets a request take now from a spec whose stored bucket is {@code
   * stored}: its whole tokens, or {@link Integer#MAX_VALUE} when unlimited.
   */
  public static int allowance(RateLimit limit, TokenBucket stored, Instant now) {
    TokenBucket b = current(limit, stored, now);
    return b == null ? Integer.MAX_VALUE : b.whole();
  }

  /** The whole tokens held: how many units may go. */
  public int whole() {
    return (int) Math.max(0, Math.floor(tokens + EPSILON));
  }

  /** This bucket after {@code units} units went (never more than {@link #whole()}). */
  public TokenBucket take(int units) {
    return new TokenBucket(tokens - units, asOf);
  }

  /**
   * What becomes of the stored bucket when a spec's limit changes from {@code before} to {@code
   * after}: unchanged when the limit is; none (full) when the spec was unlimited or becomes so;
   * otherwise the tokens earned at the old rate up to {@code now}, capped at the new capacity. So
   * raising a limit takes effect with the next token, and lowering it never lets more than the new
   * burst go at once.
   */
  public static TokenBucket afterChange(
      RateLimit before, RateLimit after, TokenBucket stored, Instant now) {
    if (before.equals(after)) {
      return stored;
    }
    if (before.unlimited() || after.unlimited() || stored == null) {
      return null;
    }
    TokenBucket refilled = current(before, stored, now);
    return new TokenBucket(Math.min(after.capacity(), refilled.tokens), refilled.asOf);
  }

  private static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }
}
