package io.coordinate.cache;

import java.time.Duration;

/**
 * How much a {@link CachingCoordinate} keeps: at most {@code maximumSize} handles of each kind
 * (namespaces, work specs, work units, workers), each dropped after {@code expireAfterAccess}
 * without use.
 */
public record CacheSettings(long maximumSize, Duration expireAfterAccess) {
  /** 100,000 handles of each kind, dropped after 10 minutes unused. */
  public static final CacheSettings DEFAULT = new CacheSettings(100_000, Duration.ofMinutes(10));

  public CacheSettings {
    if (maximumSize < 0) {
      throw new IllegalArgumentException("maximumSize must not be negative: " + maximumSize);
    }
    if (expireAfterAccess == null || expireAfterAccess.isNegative() || expireAfterAccess.isZero()) {
      throw new IllegalArgumentException("expireAfterAccess must be positive: " + expireAfterAccess);
    }
  }

  public CacheSettings withMaximumSize(long v) {
    return new CacheSettings(v, expireAfterAccess);
  }

  public CacheSettings withExpireAfterAccess(Duration v) {
    return new CacheSettings(maximumSize, v);
  }
}
