package io.coordinate.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** {@link TokenBucket}, {@link RateLimit} and {@link Retention}: the arithmetic and the checks. */
class TokenBucketTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aMissingBucketIsFullAndAnUnlimitedSpecHasNone() {
    RateLimit limit = new RateLimit(2, 5);
    assertThat(TokenBucket.current(limit, null, T0)).isEqualTo(new TokenBucket(5, T0));
    assertThat(TokenBucket.allowance(limit, null, T0)).isEqualTo(5);
    assertThat(TokenBucket.current(RateLimit.NONE, new TokenBucket(0, T0), T0)).isNull();
    assertThat(TokenBucket.allowance(RateLimit.NONE, null, T0)).isEqualTo(Integer.MAX_VALUE);
  }

  @Test
  void refillsAtTheRateUpToTheCapacity() {
    RateLimit limit = new RateLimit(4, 3);
    TokenBucket empty = new TokenBucket(0, T0);
    assertThat(TokenBucket.allowance(limit, empty, T0.plusMillis(249))).isZero();
    assertThat(TokenBucket.allowance(limit, empty, T0.plusMillis(250))).isEqualTo(1);
    assertThat(TokenBucket.allowance(limit, empty, T0.plusMillis(500))).isEqualTo(2);
    assertThat(TokenBucket.allowance(limit, empty, T0.plusSeconds(3600))).isEqualTo(3);
  }

  @Test
  void aClockBehindTheBucketRefillsNothingAndKeepsItsTime() {
    RateLimit limit = RateLimit.of(1);
    TokenBucket b = new TokenBucket(0.5, T0);
    TokenBucket earlier = TokenBucket.current(limit, b, T0.minusSeconds(10));
    assertThat(earlier).isEqualTo(b);
    // Back on time, the bucket gains only what passed after its own time.
    assertThat(TokenBucket.current(limit, earlier, T0.plusMillis(500)).whole()).isEqualTo(1);
  }

  @Test
  void takingUnitsLeavesTheFraction() {
    TokenBucket b = new TokenBucket(2.75, T0).take(2);
    assertThat(b.tokens()).isEqualTo(0.75);
    assertThat(b.whole()).isZero();
  }

  @Test
  void changingTheLimitKeepsEarnedTokensCappedAtTheNewBurst() {
    RateLimit slow = new RateLimit(1, 10);
    TokenBucket b = new TokenBucket(4, T0);
    // Two seconds at the old rate, then capped at the new burst of 3.
    TokenBucket after =
        TokenBucket.afterChange(slow, new RateLimit(100, 3), b, T0.plusSeconds(2));
    assertThat(after).isEqualTo(new TokenBucket(3, T0.plusSeconds(2)));
    // A higher burst does not add tokens.
    assertThat(TokenBucket.afterChange(slow, new RateLimit(1, 50), b, T0))
        .isEqualTo(new TokenBucket(4, T0));
    // Unchanged limits keep the bucket; to or from unlimited starts full.
    assertThat(TokenBucket.afterChange(slow, slow, b, T0.plusSeconds(5))).isSameAs(b);
    assertThat(TokenBucket.afterChange(slow, RateLimit.NONE, b, T0)).isNull();
    assertThat(TokenBucket.afterChange(RateLimit.NONE, slow, null, T0)).isNull();
  }

  @Test
  void rateLimitChecksItsRanges() {
    assertThatThrownBy(() -> new RateLimit(-0.5, 0)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rate_limit");
    assertThatThrownBy(() -> new RateLimit(Double.NaN, 0))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new RateLimit(2e9, 0)).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> new RateLimit(1, -1)).isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("rate_burst");
    assertThat(RateLimit.defaultBurst(0.01)).isEqualTo(1);
    assertThat(RateLimit.defaultBurst(7.2)).isEqualTo(8);
    assertThat(new RateLimit(0, 9).capacity()).isZero();
  }

  @Test
  void retentionChecksItsRanges() {
    assertThatThrownBy(() -> Retention.NONE.withFinishedFor(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("retain_finished_seconds");
    assertThatThrownBy(() -> Retention.NONE.withFailedFor(Duration.ofDays(40_000)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("retain_failed_seconds");
    assertThatThrownBy(() -> Retention.NONE.withFinishedCount(-1))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Retention.seconds(Double.NaN, "retain_failed_seconds"))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(Retention.seconds(1.5, "x")).isEqualTo(Duration.ofMillis(1500));
    assertThat(Retention.NONE.keepsEverything()).isTrue();
  }
}
