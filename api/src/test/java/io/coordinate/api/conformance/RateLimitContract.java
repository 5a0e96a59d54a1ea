package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.keysOf;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.units;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.RateLimit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Rate limits ({@code rate_limit}, {@code rate_burst}; see {@link RateLimit}): a spec hands out its
 * burst, then one unit per 1/rate seconds of the backend's clock; a spec without a whole token is
 * passed over so other specs get the work; the limit changes at run time.
 */
public interface RateLimitContract extends KitFixture {

  private Worker worker() {
    return namespace().worker("w");
  }

  private static List<String> specsOf(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.workUnit().workSpec().name()).toList();
  }

  @Test
  default void rateLimitMetaComesFromTheDefinition() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 2.5, "rate_burst", 4);
    assertThat(s.meta(false).rateLimit()).isEqualTo(new RateLimit(2.5, 4));
    assertThat(spec(namespace(), "plain").meta(false).rateLimit()).isEqualTo(RateLimit.NONE);
    assertThatThrownBy(() -> spec(namespace(), "bad", "rate_limit", -1))
        .isInstanceOf(InvalidWorkSpecException.class);
  }

  @Test
  default void rateLimitBurstGoesAtOnceThenNothing() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 2, "rate_burst", 3);
    units(s, "u", 10);
    Worker w = worker();
    assertThat(keysOf(w.requestAttempts(from("s", 10))))
        .containsExactly("u00000", "u00001", "u00002");
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();
    assertThat(w.requestAttempts(from("s", 1))).isEmpty();
  }

  @Test
  default void rateLimitOneMoreUnitPerIntervalOfTheClock() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 4, "rate_burst", 2);
    units(s, "u", 10);
    Worker w = worker();
    assertThat(w.requestAttempts(from("s", 10))).hasSize(2);
    clock().advance(Duration.ofMillis(200));
    assertThat(w.requestAttempts(from("s", 10))).as("0.8 of a token").isEmpty();
    clock().advance(Duration.ofMillis(50));
    assertThat(keysOf(w.requestAttempts(from("s", 10)))).containsExactly("u00002");
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();
    clock().advance(Duration.ofMillis(250));
    assertThat(w.requestAttempts(from("s", 10))).hasSize(1);
  }

  @Test
  default void rateLimitDefaultBurstIsOneSecondsWorth() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 2.5);
    units(s, "u", 10);
    assertThat(worker().requestAttempts(from("s", 10))).hasSize(3);
    assertThat(worker().requestAttempts(from("s", 10))).isEmpty();
  }

  @Test
  default void rateLimitARequestTakesAtMostTheWholeTokens() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 4, "rate_burst", 8);
    units(s, "u", 20);
    Worker w = worker();
    assertThat(w.requestAttempts(from("s", 20))).hasSize(8);
    // 3.5 tokens: three units, and the half stays for later.
    clock().advance(Duration.ofMillis(875));
    assertThat(w.requestAttempts(from("s", 20))).hasSize(3);
    clock().advance(Duration.ofMillis(125));
    assertThat(w.requestAttempts(from("s", 20))).hasSize(1);
    // Idle long enough, the bucket is full again but holds no more than the burst.
    clock().advance(Duration.ofHours(1));
    assertThat(w.requestAttempts(from("s", 20))).hasSize(8);
  }

  @Test
  default void rateLimitCombinesWithMaxGetworkAndMaxRunning() {
    WorkSpec s =
        spec(namespace(), "s", "rate_limit", 1, "rate_burst", 5, "max_getwork", 2,
            "max_running", 3);
    units(s, "u", 10);
    Worker w = worker();
    List<Attempt> first = w.requestAttempts(from("s", 10));
    assertThat(first).hasSize(2);
    assertThat(w.requestAttempts(from("s", 10))).as("max_running leaves room for 1").hasSize(1);
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();
    first.forEach(a -> a.finish(null));
    // Two tokens are left of the burst of five; max_getwork still caps the request at two.
    assertThat(w.requestAttempts(from("s", 10))).hasSize(2);
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();
  }

  @Test
  default void rateLimitedSpecWithoutTokensLetsOtherSpecsRun() {
    WorkSpec hi = spec(namespace(), "hi", "priority", 10, "rate_limit", 1, "rate_burst", 1);
    WorkSpec lo = spec(namespace(), "lo");
    units(hi, "h", 5);
    units(lo, "l", 5);
    Worker w = worker();
    assertThat(specsOf(w.requestAttempts(AttemptRequest.one().withLifetime(LEASE))))
        .containsExactly("hi");
    // The higher priority spec is out of tokens: the scheduler picks the other one.
    assertThat(specsOf(w.requestAttempts(AttemptRequest.of(3).withLifetime(LEASE))))
        .containsExactly("lo", "lo", "lo");
    clock().advance(Duration.ofSeconds(1));
    assertThat(specsOf(w.requestAttempts(AttemptRequest.of(3).withLifetime(LEASE))))
        .containsExactly("hi");
  }

  @Test
  default void rateLimitChangesThroughSetMeta() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 1, "rate_burst", 1);
    units(s, "u", 30);
    Worker w = worker();
    assertThat(w.requestAttempts(from("s", 10))).hasSize(1);
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();

    // A faster rate: the empty bucket stays empty, then fills at the new rate.
    s.setMeta(s.meta(false).withRateLimit(new RateLimit(4, 2)));
    assertThat(s.meta(false).rateLimit()).isEqualTo(new RateLimit(4, 2));
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();
    clock().advance(Duration.ofMillis(250));
    assertThat(w.requestAttempts(from("s", 10))).hasSize(1);
    clock().advance(Duration.ofSeconds(10));
    assertThat(w.requestAttempts(from("s", 10))).as("the new burst").hasSize(2);

    // Changing other fields leaves the bucket as it is.
    s.setMeta(s.meta(false).withPriority(3));
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();

    // No limit: everything available goes.
    s.setMeta(s.meta(false).withRateLimit(RateLimit.NONE));
    assertThat(w.requestAttempts(from("s", 100))).hasSize(26);
  }

  @Test
  default void rateLimitSetOnAnUnlimitedSpecStartsWithAFullBurst() {
    WorkSpec s = spec(namespace(), "s");
    units(s, "u", 20);
    Worker w = worker();
    assertThat(w.requestAttempts(from("s", 4))).hasSize(4);
    s.setMeta(s.meta(false).withRateLimit(new RateLimit(1, 3)));
    assertThat(w.requestAttempts(from("s", 10))).hasSize(3);
    assertThat(w.requestAttempts(from("s", 10))).isEmpty();
  }

  @Test
  default void rateLimitBadDefinitionIsRefusedAndChangesNothing() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 2);
    assertThatThrownBy(() -> s.setDefinition(Map.of("name", "s", "rate_limit", -1L)))
        .isInstanceOf(InvalidWorkSpecException.class)
        .hasMessageContaining("rate_limit");
    assertThatThrownBy(() -> s.setDefinition(Map.of("name", "s", "rate_burst", "many")))
        .isInstanceOf(InvalidWorkSpecException.class);
    assertThat(s.meta(false).rateLimit()).isEqualTo(RateLimit.of(2));
  }

  @Test
  default void rateLimitDoesNotStopForcedAttempts() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 1, "rate_burst", 1);
    units(s, "u", 5);
    Worker w = worker();
    w.makeAttempt(s.workUnit(key("u00003")), LEASE);
    w.makeAttempt(s.workUnit(key("u00004")), LEASE);
    // Forced attempts took no token: the burst is still there for a request.
    assertThat(keysOf(w.requestAttempts(from("s", 5)))).containsExactly("u00000");
  }

  @Test
  default void rateLimitAbsentLeavesSchedulingUnchanged() {
    WorkSpec s = spec(namespace(), "s");
    units(s, "u", 50);
    Worker w = worker();
    assertThat(w.requestAttempts(from("s", 50))).hasSize(50);
  }

  @Test
  default void rateLimitResetsToTheDefinitionWithANewDefinition() {
    WorkSpec s = spec(namespace(), "s", "rate_limit", 1, "rate_burst", 1);
    units(s, "u", 10);
    Worker w = worker();
    assertThat(w.requestAttempts(from("s", 10))).hasSize(1);
    spec(namespace(), "s", "rate_limit", 2, "rate_burst", 2);
    assertThat(s.meta(false).rateLimit()).isEqualTo(new RateLimit(2, 2));
    assertThat(w.requestAttempts(from("s", 10))).as("the bucket was empty").isEmpty();
    clock().advance(Duration.ofMillis(500));
    assertThat(w.requestAttempts(from("s", 10))).hasSize(1);
  }
}
