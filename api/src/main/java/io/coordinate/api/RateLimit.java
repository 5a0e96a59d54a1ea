package io.coordinate.api;

/**
 * How fast the scheduler may hand out a work spec's units: a token bucket that holds up to {@link
 * #capacity()} tokens, gains {@code perSecond} tokens a second, and loses one for every unit leased.
 * A spec with less than one whole token is passed over, as a paused one is, and a request takes at
 * most as many units as there are whole tokens. So no more than the capacity go at once after the
 * spec has been idle, and over a long run no more than {@code perSecond} a second.
 *
 * <p>Set by the definition keys {@code rate_limit} and {@code rate_burst}, and changed at run time
 * with {@link WorkSpec#setMeta}. Only requests for work ({@link Worker#requestAttempts}) count:
 * {@link Worker#makeAttempt} forces an attempt whatever the limit.
 *
 * @param perSecond units handed out per second on average; 0 is unlimited
 * @param burst the most units that may go at once after idling; 0 is the default, {@link
 *     #defaultBurst(double)}
 */
public record RateLimit(double perSecond, int burst) {
  /** No limit. */
  public static final RateLimit NONE = new RateLimit(0, 0);

  /** The largest rate accepted (so that the default burst stays an {@code int}). */
  public static final double MAX_PER_SECOND = 1e9;

  /**
   * @throws InvalidRequestException if the rate is not a number from 0 to {@link #MAX_PER_SECOND}
   *     or the burst is negative
   */
  public RateLimit {
    if (!(perSecond >= 0 && perSecond <= MAX_PER_SECOND)) {
      throw new InvalidRequestException(
          "rate_limit must be a number of units per second from 0 (unlimited) to 1e9, not "
              + perSecond);
    }
    if (burst < 0) {
      throw new InvalidRequestException("rate_burst must not be negative: " + burst);
    }
  }

  /** A limit of {@code perSecond} units a second with the default burst. */
  public static RateLimit of(double perSecond) {
    return new RateLimit(perSecond, 0);
  }

  /** True when there is no limit. */
  public boolean unlimited() {
    return perSecond == 0;
  }

  /** The bucket's size: the burst, or its default when 0; 0 when unlimited. */
  public int capacity() {
    if (unlimited()) {
      return 0;
    }
    return burst > 0 ? burst : defaultBurst(perSecond);
  }

  /** The burst when none is given: one second's worth of units, and at least one. */
  public static int defaultBurst(double perSecond) {
    return (int) Math.max(1, Math.ceil(perSecond));
  }

  /** This limit with another rate, keeping the burst as given. */
  public RateLimit withPerSecond(double v) {
    return new RateLimit(v, burst);
  }

  /** This limit with another burst. */
  public RateLimit withBurst(int v) {
    return new RateLimit(perSecond, v);
  }
}
