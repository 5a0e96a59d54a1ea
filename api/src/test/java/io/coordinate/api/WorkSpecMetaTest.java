package io.coordinate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.WorkSpecMeta.Counts;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link WorkSpecMeta}: withers, {@code applyChange}, and the scheduler's predicates. */
class WorkSpecMetaTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  /** A runnable, non-continuous meta with every field distinct from its default. */
  private static WorkSpecMeta sample() {
    return new WorkSpecMeta(3, 7, false, false, true, Duration.ofSeconds(30),
        Instant.parse("2024-01-01T00:00:00Z"), 5, 2, 4, "next", "go", 1.5, new RateLimit(2.5, 3),
        Retention.NONE.withFinishedCount(7), Optional.of(new Counts(10, 1)));
  }

  /** Default meta with weight 1 and the given counts. */
  private static WorkSpecMeta plain(long available, long pending) {
    return WorkSpecDefinition.parse(Map.of("name", "s", "weight", 1L))
        .defaultMeta()
        .withCounts(new Counts(available, pending));
  }

  private static WorkSpecMeta continuous(long available, long pending) {
    return WorkSpecDefinition.parse(Map.of("name", "s", "continuous", true))
        .defaultMeta()
        .withCounts(new Counts(available, pending));
  }

  @Nested
  class Construction {
    @Test
    void nullTextFieldsBecomeEmptyAndNullCountsBecomeAbsent() {
      WorkSpecMeta m =
          new WorkSpecMeta(0, 1, false, false, false, Duration.ZERO, Instant.EPOCH, 0, 0, 0, null,
              null, 0, null, null, null);
      assertThat(m.nextWorkSpecName()).isEmpty();
      assertThat(m.runtime()).isEmpty();
      assertThat(m.counts()).isEmpty();
      assertThat(m.rateLimit()).isEqualTo(RateLimit.NONE);
      assertThat(m.retention()).isEqualTo(Retention.NONE);
      assertThat(m.availableCount()).isZero();
      assertThat(m.pendingCount()).isZero();
    }

    @Test
    void negativeWeightIsRejected() {
      assertThatThrownBy(() -> sample().withWeight(-1))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("weight");
    }

    @Test
    void zeroWeightIsAllowed() {
      assertThat(sample().withWeight(0).weight()).isZero();
    }

    @Test
    void negativeLimitsAreRejected() {
      assertThatThrownBy(() -> sample().withMaxRunning(-1))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> sample().withMaxAttemptsReturned(-1))
          .isInstanceOf(InvalidRequestException.class);
      assertThatThrownBy(() -> sample().withMaxRetries(-1))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void negativeIntervalIsRejected() {
      assertThatThrownBy(() -> sample().withInterval(Duration.ofSeconds(-1)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("interval");
    }

    @Test
    void negativePriorityIsAllowed() {
      assertThat(sample().withPriority(-10).priority()).isEqualTo(-10);
    }
  }

  @Nested
  class Withers {
    @Test
    void eachWitherChangesOnlyItsField() {
      WorkSpecMeta s = sample();
      Instant later = Instant.parse("2030-01-01T00:00:00Z");

      assertThat(s.withPriority(9)).isEqualTo(copy(s, 9, s.weight(), s.paused(), s.continuous(),
          s.interval(), s.nextContinuous(), s.maxRunning(), s.maxAttemptsReturned(),
          s.maxRetries()));
      assertThat(s.withWeight(11)).isEqualTo(copy(s, s.priority(), 11, s.paused(), s.continuous(),
          s.interval(), s.nextContinuous(), s.maxRunning(), s.maxAttemptsReturned(),
          s.maxRetries()));
      assertThat(s.withPaused(true)).isEqualTo(copy(s, s.priority(), s.weight(), true,
          s.continuous(), s.interval(), s.nextContinuous(), s.maxRunning(),
          s.maxAttemptsReturned(), s.maxRetries()));
      assertThat(s.withContinuous(true)).isEqualTo(copy(s, s.priority(), s.weight(), s.paused(),
          true, s.interval(), s.nextContinuous(), s.maxRunning(), s.maxAttemptsReturned(),
          s.maxRetries()));
      assertThat(s.withInterval(Duration.ofHours(1))).isEqualTo(copy(s, s.priority(), s.weight(),
          s.paused(), s.continuous(), Duration.ofHours(1), s.nextContinuous(), s.maxRunning(),
          s.maxAttemptsReturned(), s.maxRetries()));
      assertThat(s.withNextContinuous(later)).isEqualTo(copy(s, s.priority(), s.weight(),
          s.paused(), s.continuous(), s.interval(), later, s.maxRunning(),
          s.maxAttemptsReturned(), s.maxRetries()));
      assertThat(s.withMaxRunning(50)).isEqualTo(copy(s, s.priority(), s.weight(), s.paused(),
          s.continuous(), s.interval(), s.nextContinuous(), 50, s.maxAttemptsReturned(),
          s.maxRetries()));
      assertThat(s.withMaxAttemptsReturned(60)).isEqualTo(copy(s, s.priority(), s.weight(),
          s.paused(), s.continuous(), s.interval(), s.nextContinuous(), s.maxRunning(), 60,
          s.maxRetries()));
      assertThat(s.withMaxRetries(70)).isEqualTo(copy(s, s.priority(), s.weight(), s.paused(),
          s.continuous(), s.interval(), s.nextContinuous(), s.maxRunning(),
          s.maxAttemptsReturned(), 70));
      WorkSpecMeta limited = s.withRateLimit(new RateLimit(9, 4));
      assertThat(limited.rateLimit()).isEqualTo(new RateLimit(9, 4));
      assertThat(limited.withRateLimit(s.rateLimit())).isEqualTo(s);
      Retention kept = Retention.NONE.withFailedFor(Duration.ofHours(2));
      WorkSpecMeta retained = s.withRetention(kept);
      assertThat(retained.retention()).isEqualTo(kept);
      assertThat(retained.withRetention(s.retention())).isEqualTo(s);
    }

    @Test
    void withersDoNotModifyTheOriginal() {
      WorkSpecMeta s = sample();
      s.withPriority(100).withWeight(100).withPaused(true).withMaxRunning(100);
      assertThat(s).isEqualTo(sample());
    }

    @Test
    void withCountsAttachesAndRemovesCounts() {
      WorkSpecMeta s = sample().withCounts(new Counts(4, 2));
      assertThat(s.availableCount()).isEqualTo(4);
      assertThat(s.pendingCount()).isEqualTo(2);
      assertThat(s.counts()).contains(new Counts(4, 2));

      WorkSpecMeta none = s.withCounts(null);
      assertThat(none.counts()).isEmpty();
      assertThat(none.availableCount()).isZero();
      assertThat(none.pendingCount()).isZero();
    }

    /** {@code s} with the mutable fields replaced, fixed fields and counts kept. */
    private WorkSpecMeta copy(WorkSpecMeta s, int priority, int weight, boolean paused,
        boolean continuous, Duration interval, Instant nextContinuous, int maxRunning,
        int maxAttemptsReturned, int maxRetries) {
      return new WorkSpecMeta(priority, weight, paused, continuous, s.canBeContinuous(), interval,
          nextContinuous, maxRunning, maxAttemptsReturned, maxRetries, s.nextWorkSpecName(),
          s.runtime(), s.minMemoryGb(), s.rateLimit(), s.retention(), s.counts());
    }
  }

  @Nested
  class ApplyChange {
    @Test
    void takesMutableFieldsFromRequestAndFixedFieldsFromOriginal() {
      WorkSpecMeta original = sample();
      Instant nextContinuous = Instant.parse("2025-01-01T00:00:00Z");
      WorkSpecMeta requested =
          new WorkSpecMeta(-1, 99, true, true, false, Duration.ofMinutes(5), nextContinuous, 8, 9,
              10, "other", "python", 64, RateLimit.of(4), Retention.NONE.withFailedCount(3),
              Optional.of(new Counts(1, 1)));

      WorkSpecMeta applied = original.applyChange(requested);

      assertThat(applied.priority()).isEqualTo(-1);
      assertThat(applied.weight()).isEqualTo(99);
      assertThat(applied.paused()).isTrue();
      assertThat(applied.continuous()).isTrue();
      assertThat(applied.interval()).isEqualTo(Duration.ofMinutes(5));
      assertThat(applied.nextContinuous()).isEqualTo(nextContinuous);
      assertThat(applied.maxRunning()).isEqualTo(8);
      assertThat(applied.maxAttemptsReturned()).isEqualTo(9);
      assertThat(applied.maxRetries()).isEqualTo(10);
      assertThat(applied.rateLimit()).isEqualTo(RateLimit.of(4));
      assertThat(applied.retention()).isEqualTo(Retention.NONE.withFailedCount(3));
      // fixed by the definition:
      assertThat(applied.canBeContinuous()).isTrue();
      assertThat(applied.nextWorkSpecName()).isEqualTo("next");
      assertThat(applied.runtime()).isEqualTo("go");
      assertThat(applied.minMemoryGb()).isEqualTo(1.5);
      // counts are never stored:
      assertThat(applied.counts()).isEmpty();
    }

    @Test
    void continuousIsRejectedWhenTheSpecCannotBeContinuous() {
      WorkSpecMeta original = plain(0, 0);
      assertThat(original.canBeContinuous()).isFalse();

      assertThatThrownBy(() -> original.applyChange(original.withContinuous(true)))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("continuous");
    }

    @Test
    void requestedCanBeContinuousDoesNotUnlockContinuous() {
      WorkSpecMeta original = plain(0, 0);
      WorkSpecMeta sneaky =
          new WorkSpecMeta(0, 1, false, true, true, Duration.ZERO, Instant.EPOCH, 0, 0, 0, "", "",
              0, RateLimit.NONE, Retention.NONE, Optional.empty());
      assertThatThrownBy(() -> original.applyChange(sneaky))
          .isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void nonContinuousRequestIsFineForAnySpec() {
      WorkSpecMeta original = plain(0, 0);
      WorkSpecMeta applied = original.applyChange(original.withPaused(true).withWeight(3));
      assertThat(applied.paused()).isTrue();
      assertThat(applied.weight()).isEqualTo(3);
      assertThat(applied.continuous()).isFalse();
    }

    @Test
    void continuousSpecCanBeSwitchedOffAndOnAgain() {
      WorkSpecMeta original = continuous(0, 0);
      WorkSpecMeta off = original.applyChange(original.withContinuous(false));
      assertThat(off.continuous()).isFalse();
      assertThat(off.canBeContinuous()).isTrue();

      WorkSpecMeta on = off.applyChange(off.withContinuous(true));
      assertThat(on.continuous()).isTrue();
    }
  }

  @Nested
  class CanDoWork {
    @Test
    void availableUnitsMakeASpecRunnable() {
      assertThat(plain(1, 0).canDoWork(NOW)).isTrue();
      assertThat(plain(1000, 999).canDoWork(NOW)).isTrue();
    }

    @Test
    void noAvailableUnitsAndNotContinuousMeansNoWork() {
      assertThat(plain(0, 0).canDoWork(NOW)).isFalse();
      assertThat(plain(0, 5).canDoWork(NOW)).isFalse();
    }

    @Test
    void withoutCountsANonContinuousSpecHasNoWork() {
      assertThat(plain(5, 0).withCounts(null).canDoWork(NOW)).isFalse();
    }

    @Test
    void pausedSpecCannotDoWork() {
      assertThat(plain(10, 0).withPaused(true).canDoWork(NOW)).isFalse();
      assertThat(continuous(0, 0).withPaused(true).canDoWork(NOW)).isFalse();
    }

    @Test
    void zeroWeightSpecCannotDoWork() {
      assertThat(plain(10, 0).withWeight(0).canDoWork(NOW)).isFalse();
      assertThat(continuous(0, 0).withWeight(0).canDoWork(NOW)).isFalse();
    }

    @ParameterizedTest(name = "max_running={0} pending={1} -> {2}")
    @CsvSource({
      "0, 1000, true", // 0 is unlimited
      "5, 4, true",
      "5, 5, false",
      "5, 6, false", // the limit was lowered below the current pending count
      "1, 0, true",
      "1, 1, false"
    })
    void maxRunningLimitsPendingUnits(int maxRunning, long pending, boolean expected) {
      assertThat(plain(10, pending).withMaxRunning(maxRunning).canDoWork(NOW))
          .isEqualTo(expected);
    }

    @Test
    void maxRunningAlsoStopsAContinuousSpec() {
      // pending 1 already stops continuous, so use available units to isolate max_running.
      assertThat(continuous(3, 2).withMaxRunning(2).canDoWork(NOW)).isFalse();
      assertThat(continuous(3, 1).withMaxRunning(2).canDoWork(NOW)).isTrue();
    }

    @Test
    void idleContinuousSpecCanDoWork() {
      assertThat(continuous(0, 0).canDoWork(NOW)).isTrue();
    }

    @Test
    void continuousSpecWithPendingButNoAvailableCannotDoWork() {
      assertThat(continuous(0, 1).canDoWork(NOW)).isFalse();
    }

    @Test
    void continuousSpecWithAvailableUnitsCanDoWorkEvenIfItCannotStartOne() {
      WorkSpecMeta m = continuous(2, 1).withNextContinuous(NOW.plusSeconds(60));
      assertThat(m.canStartContinuous(NOW)).isFalse();
      assertThat(m.canDoWork(NOW)).isTrue();
    }

    @Test
    void continuousSpecWaitsForNextContinuousTime() {
      assertThat(continuous(0, 0).withNextContinuous(NOW.plusMillis(1)).canDoWork(NOW)).isFalse();
      assertThat(continuous(0, 0).withNextContinuous(NOW).canDoWork(NOW)).isTrue();
    }
  }

  @Nested
  class CanStartContinuous {
    @Test
    void notContinuousNeverStarts() {
      assertThat(plain(0, 0).canStartContinuous(NOW)).isFalse();
    }

    @Test
    void switchedOffContinuousNeverStarts() {
      assertThat(continuous(0, 0).withContinuous(false).canStartContinuous(NOW)).isFalse();
    }

    @Test
    void idleContinuousStarts() {
      assertThat(continuous(0, 0).canStartContinuous(NOW)).isTrue();
    }

    @Test
    void continuousWithoutCountsCountsAsIdle() {
      assertThat(continuous(0, 0).withCounts(null).canStartContinuous(NOW)).isTrue();
    }

    @Test
    void anyAvailableOrPendingUnitPreventsStarting() {
      assertThat(continuous(1, 0).canStartContinuous(NOW)).isFalse();
      assertThat(continuous(0, 1).canStartContinuous(NOW)).isFalse();
      assertThat(continuous(4, 4).canStartContinuous(NOW)).isFalse();
    }

    @ParameterizedTest(name = "next continuous at now{0}ms -> {1}")
    @CsvSource({"-60000, true", "-1, true", "0, true", "1, false", "60000, false"})
    void nextContinuousTimeMustHaveArrived(long offsetMillis, boolean expected) {
      WorkSpecMeta m = continuous(0, 0).withNextContinuous(NOW.plusMillis(offsetMillis));
      assertThat(m.canStartContinuous(NOW)).isEqualTo(expected);
    }

    @Test
    void epochNextContinuousMeansNow() {
      assertThat(continuous(0, 0).nextContinuous()).isEqualTo(Instant.EPOCH);
      assertThat(continuous(0, 0).canStartContinuous(Instant.EPOCH)).isTrue();
    }
  }
}
