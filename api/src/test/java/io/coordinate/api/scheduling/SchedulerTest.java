package io.coordinate.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.coordinate.api.AttemptRequest;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkSpecMeta.Counts;
import io.coordinate.api.scheduling.Scheduler.Candidate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link Scheduler}: SPEC §3 steps 1–4.
 *
 * <p>On the statistical tests: when spec {@code a} is drawn with probability {@code p}, its count in
 * {@code n} independent draws has mean {@code np} and standard deviation {@code σ = √(np(1−p))}. The
 * tests accept ±4σ (a false alarm about once in 16,000 per spec for an arbitrary seed); the seeds
 * are fixed, so a run is reproducible, but the tolerance is not tuned to them.
 */
class SchedulerTest {
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");
  private static final AttemptRequest ANY = AttemptRequest.one();

  private static WorkSpecMeta meta(int priority, int weight, long available, long pending) {
    return new WorkSpecMeta(priority, weight, false, false, false, Duration.ZERO, Instant.EPOCH, 0,
        0, 0, "", "", 0, RateLimit.NONE, Retention.NONE, Optional.of(new Counts(available, pending)));
  }

  private static Candidate spec(String name, int weight, long available, long pending) {
    return new Candidate(name, meta(0, weight, available, pending));
  }

  private static Candidate spec(String name, int weight) {
    return spec(name, weight, 1000, 0);
  }

  private static Candidate withPriority(Candidate c, int priority) {
    return new Candidate(c.name(), c.meta().withPriority(priority));
  }

  private static Candidate withRuntime(String name, String runtime) {
    WorkSpecMeta m =
        new WorkSpecMeta(0, 1, false, false, false, Duration.ZERO, Instant.EPOCH, 0, 0, 0, "",
            runtime, 0, RateLimit.NONE, Retention.NONE, Optional.of(new Counts(10, 0)));
    return new Candidate(name, m);
  }

  private static Optional<String> choose(Collection<Candidate> specs, AttemptRequest request) {
    return Scheduler.choose(specs, request, NOW, new SplittableRandom(1));
  }

  /** How often each spec is chosen in {@code n} draws over unchanging state. */
  private static Map<String, Integer> tally(
      Collection<Candidate> specs, AttemptRequest request, int n, long seed) {
    RandomGenerator random = new SplittableRandom(seed);
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      Scheduler.choose(specs, request, NOW, random).ifPresent(s -> counts.merge(s, 1, Integer::sum));
    }
    return counts;
  }

  /** Asserts a count is within 4σ of {@code n·num/den} for a binomial draw. */
  private static void assertBinomial(int observed, int n, int num, int den) {
    double p = (double) num / den;
    double sigma = Math.sqrt(n * p * (1 - p));
    assertThat((double) observed).isCloseTo(n * p, within(4 * sigma));
  }

  @Nested
  class Candidates {
    @Test
    void noSpecsMeansNoWork() {
      assertThat(choose(List.of(), ANY)).isEmpty();
    }

    @Test
    void specsThatCannotDoWorkGiveNoWork() {
      List<Candidate> specs =
          List.of(
              spec("empty", 5, 0, 0),
              new Candidate("paused", meta(0, 5, 10, 0).withPaused(true)),
              new Candidate("weightless", meta(0, 0, 10, 0)),
              new Candidate("full", meta(0, 5, 10, 3).withMaxRunning(3)),
              new Candidate(
                  "continuous-busy", meta(0, 5, 0, 1).withContinuous(true)),
              new Candidate(
                  "continuous-waiting",
                  meta(0, 5, 0, 0).withContinuous(true).withNextContinuous(NOW.plusSeconds(1))));
      assertThat(choose(specs, ANY)).isEmpty();
    }

    @Test
    void onlySpecThatCanDoWorkIsAlwaysChosen() {
      List<Candidate> specs =
          List.of(
              spec("empty", 100, 0, 0),
              new Candidate("paused", meta(0, 100, 10, 0).withPaused(true)),
              new Candidate("full", meta(0, 100, 10, 2).withMaxRunning(2)),
              spec("one", 1));
      assertThat(tally(specs, ANY, 500, 7)).containsExactly(Map.entry("one", 500));
    }

    @Test
    void idleContinuousSpecIsACandidate() {
      Candidate cont = new Candidate("cont", meta(0, 1, 0, 0).withContinuous(true));
      assertThat(choose(List.of(cont), ANY)).contains("cont");
    }

    @Test
    void nameFilterRestrictsTheCandidates() {
      List<Candidate> specs = List.of(spec("a", 1), spec("b", 1), spec("c", 100));
      assertThat(tally(specs, ANY.withWorkSpecs("b"), 200, 3))
          .containsExactly(Map.entry("b", 200));
      assertThat(tally(specs, ANY.withWorkSpecs("a", "b"), 400, 3)).containsOnlyKeys("a", "b");
    }

    @Test
    void unknownNamesAreIgnored() {
      List<Candidate> specs = List.of(spec("a", 1), spec("b", 1));
      assertThat(tally(specs, ANY.withWorkSpecs("nope", "a"), 100, 3))
          .containsExactly(Map.entry("a", 100));
      assertThat(choose(specs, ANY.withWorkSpecs("nope"))).isEmpty();
    }

    @Test
    void namedSpecThatCannotDoWorkGivesNoWorkEvenIfOthersCould() {
      List<Candidate> specs = List.of(spec("a", 1, 0, 0), spec("b", 1));
      assertThat(choose(specs, ANY.withWorkSpecs("a"))).isEmpty();
    }

    @Test
    void runtimeFilterMatchesExactRuntimes() {
      List<Candidate> specs =
          List.of(withRuntime("py", ""), withRuntime("go", "go"), withRuntime("java", "java21"));

      assertThat(tally(specs, ANY.withRuntimes("go"), 100, 5))
          .containsExactly(Map.entry("go", 100));
      assertThat(tally(specs, ANY.withRuntimes("java"), 100, 5)).isEmpty();
      assertThat(tally(specs, ANY.withRuntimes("python"), 100, 5)).isEmpty();
    }

    @Test
    void emptyRuntimeInTheRequestMatchesClassicPythonSpecs() {
      List<Candidate> specs = List.of(withRuntime("py", ""), withRuntime("go", "go"));
      assertThat(tally(specs, ANY.withRuntimes(""), 100, 5))
          .containsExactly(Map.entry("py", 100));
      assertThat(tally(specs, ANY.withRuntimes("", "go"), 400, 5)).containsOnlyKeys("py", "go");
    }

    @Test
    void noRuntimeRestrictionMeansAnyRuntime() {
      List<Candidate> specs =
          List.of(withRuntime("py", ""), withRuntime("go", "go"), withRuntime("java", "java21"));
      assertThat(tally(specs, ANY, 600, 5)).containsOnlyKeys("py", "go", "java");
    }

    @Test
    void nameAndRuntimeFiltersBothApply() {
      List<Candidate> specs = List.of(withRuntime("py", ""), withRuntime("go", "go"));
      assertThat(choose(specs, ANY.withWorkSpecs("py").withRuntimes("go"))).isEmpty();
      assertThat(choose(specs, ANY.withWorkSpecs("py", "go").withRuntimes("go"))).contains("go");
    }
  }

  @Nested
  class RateLimited {
    @Test
    void aSpecWithoutAWholeTokenIsNoCandidateAndTheNextPriorityServes() {
      Candidate out = new Candidate("out", meta(5, 1, 10, 0), 0);
      Candidate lower = spec("lower", 1);
      assertThat(choose(List.of(out, lower), ANY)).contains("lower");
      assertThat(choose(List.of(out), ANY)).isEmpty();
      assertThat(choose(List.of(new Candidate("one", meta(5, 1, 10, 0), 1), lower), ANY))
          .contains("one");
    }
  }

  @Nested
  class Priority {
    @Test
    void highestPriorityAlwaysWinsWhateverTheWeights() {
      List<Candidate> specs =
          List.of(spec("a", 1000), spec("b", 1000), withPriority(spec("urgent", 1), 2));
      assertThat(tally(specs, ANY, 1000, 11)).containsExactly(Map.entry("urgent", 1000));
    }

    @Test
    void higherPrioritySpecThatCannotDoWorkDoesNotBlockLowerOnes() {
      List<Candidate> specs =
          List.of(
              spec("a", 1),
              spec("b", 1),
              withPriority(spec("idle", 1, 0, 0), 10),
              new Candidate("paused", meta(10, 1, 5, 0).withPaused(true)),
              new Candidate("full", meta(10, 1, 5, 1).withMaxRunning(1)));
      Map<String, Integer> counts = tally(specs, ANY, 2000, 13);
      assertThat(counts).containsOnlyKeys("a", "b");
      assertBinomial(counts.get("a"), 2000, 1, 2);
    }

    @Test
    void negativePrioritiesCompareNormally() {
      List<Candidate> specs =
          List.of(withPriority(spec("low", 1), -5), withPriority(spec("less-low", 1), -3));
      assertThat(tally(specs, ANY, 200, 17)).containsExactly(Map.entry("less-low", 200));
    }

    @Test
    void priorityIsDecidedAfterTheNameFilter() {
      List<Candidate> specs = List.of(spec("a", 1), withPriority(spec("urgent", 1), 5));
      assertThat(choose(specs, ANY.withWorkSpecs("a"))).contains("a");
    }
  }

  @Nested
  class WeightedDraw {
    @Test
    void withNothingPendingSpecsAreDrawnInProportionToWeight() {
      List<Candidate> specs = List.of(spec("w1", 1), spec("w2", 2), spec("w7", 7));
      int n = 20_000;
      Map<String, Integer> counts = tally(specs, ANY, n, 42);
      assertBinomial(counts.get("w1"), n, 1, 10);
      assertBinomial(counts.get("w2"), n, 2, 10);
      assertBinomial(counts.get("w7"), n, 7, 10);
    }

    @Test
    void pendingUnitsShiftTheDrawTowardsTheUnderservedSpec() {
      // total pending 2, total weight 11: scores 1·3 − 0 = 3 and 10·3 − 11·2 = 8, out of 11.
      List<Candidate> specs = List.of(spec("one", 1, 1000, 0), spec("ten", 10, 998, 2));
      int n = 20_000;
      Map<String, Integer> counts = tally(specs, ANY, n, 43);
      assertBinomial(counts.get("one"), n, 3, 11);
      assertBinomial(counts.get("ten"), n, 8, 11);
    }

    @Test
    void overfullSpecWithNegativeScoreIsNeverChosen() {
      // "hog": 1·100 − 7·99 < 0; the others share 100 + 500 in proportion 1:5.
      List<Candidate> specs =
          List.of(spec("one", 1, 1000, 0), spec("five", 5, 1000, 0), spec("hog", 1, 1000, 99));
      int n = 20_000;
      Map<String, Integer> counts = tally(specs, ANY, n, 44);
      assertThat(counts).doesNotContainKey("hog");
      assertBinomial(counts.get("one"), n, 1, 6);
      assertBinomial(counts.get("five"), n, 5, 6);
    }

    @Test
    void specWithZeroScoreIsNeverChosen() {
      // total pending 1, total weight 2: "a" scores 1·2 − 2·1 = 0, "b" scores 2.
      List<Candidate> specs = List.of(spec("a", 1, 10, 1), spec("b", 1, 10, 0));
      assertThat(tally(specs, ANY, 1000, 45)).containsExactly(Map.entry("b", 1000));
    }

    @Test
    void idleContinuousSpecCompetesByWeight() {
      List<Candidate> specs =
          List.of(spec("plain", 1), new Candidate("cont", meta(0, 1, 0, 0).withContinuous(true)));
      int n = 4000;
      Map<String, Integer> counts = tally(specs, ANY, n, 46);
      assertBinomial(counts.get("plain"), n, 1, 2);
      assertBinomial(counts.get("cont"), n, 1, 2);
    }

    @Test
    void largeWeightsAndCountsAreScoredExactly() {
      List<Candidate> specs =
          List.of(
              spec("a", Integer.MAX_VALUE, 1L << 40, 1_000_000),
              spec("b", Integer.MAX_VALUE, 1L << 40, 0));
      assertThat(tally(specs, ANY, 100, 47)).containsExactly(Map.entry("b", 100));
    }
  }

  @Nested
  class Determinism {
    private final List<Candidate> specs =
        List.of(
            spec("alpha", 3, 100, 4),
            spec("beta", 5, 100, 1),
            spec("gamma", 1, 100, 0),
            spec("delta", 8, 100, 2),
            spec("epsilon", 2, 100, 0));

    private List<String> sequence(Collection<Candidate> input, RandomGenerator random) {
      List<String> out = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        out.add(Scheduler.choose(input, ANY, NOW, random).orElseThrow());
      }
      return out;
    }

    @Test
    void sameSeedGivesSameSequenceWhateverTheInputOrder() {
      List<Candidate> reversed = new ArrayList<>(specs);
      Collections.reverse(reversed);
      List<Candidate> shuffled = new ArrayList<>(specs);
      Collections.shuffle(shuffled, new Random(99));
      Map<String, Candidate> hashed = new HashMap<>();
      specs.forEach(c -> hashed.put(c.name(), c));

      List<String> expected = sequence(specs, new SplittableRandom(2024));
      assertThat(sequence(reversed, new SplittableRandom(2024))).isEqualTo(expected);
      assertThat(sequence(shuffled, new SplittableRandom(2024))).isEqualTo(expected);
      assertThat(sequence(hashed.values(), new SplittableRandom(2024))).isEqualTo(expected);
      // a sequence that is all one name would make the comparison meaningless
      assertThat(new LinkedHashSet<>(expected)).hasSizeGreaterThan(3);
    }

    @Test
    void seededJavaUtilRandomIsReproducibleToo() {
      List<Candidate> reversed = new ArrayList<>(specs);
      Collections.reverse(reversed);
      assertThat(sequence(reversed, new Random(7))).isEqualTo(sequence(specs, new Random(7)));
    }
  }

  /**
   * Workers repeatedly ask for work and finish it, and the pending counts follow the weights.
   *
   * <p>Why the bound is exact rather than statistical: call {@code d = pending − weight·P/W} a spec's
   * excess over its share of the {@code P} pending units ({@code W} = total weight). A spec is only
   * drawn when its score is positive, i.e. when its pending count is below its share of {@code P+1},
   * so right after being drawn its excess is below 1. Between two draws the total either grows by
   * one (no completion) or stays the same (one completion, one new unit), while a spec that was not
   * drawn kept or lost pending units, so its excess did not grow. Hence, once every excess is below
   * 1 after a draw, it stays so after every later draw; and since the excesses sum to 0, none is
   * below −(n−1). With three specs every pending count stays within 2 of its share, whatever the
   * random draws — provided the scheduler never picks a spec whose score is not positive, which the
   * simulation checks at every step as well.
   */
  @Nested
  class Simulation {
    private static final List<String> NAMES = List.of("w1", "w2", "w7");
    private static final int[] WEIGHTS = {1, 2, 7};
    private static final int TOTAL_WEIGHT = 10;

    /**
     * Runs {@code steps} requests from workers that keep {@code concurrency} units pending: once
     * that many are pending, a uniformly random pending unit completes before each request.
     * Returns the final pending counts.
     */
    private long[] simulate(long[] pending, int concurrency, int steps, long seed) {
      SplittableRandom schedulerRandom = new SplittableRandom(seed);
      SplittableRandom workerRandom = new SplittableRandom(seed + 1);
      long total = pending[0] + pending[1] + pending[2];
      boolean bounded = maxExcess(pending, total) < 1;
      for (int step = 0; step < steps; step++) {
        if (total >= concurrency) {
          long pick = workerRandom.nextLong(total);
          int i = 0;
          while (pick >= pending[i]) {
            pick -= pending[i];
            i++;
          }
          pending[i]--;
          total--;
        }

        List<Candidate> specs = new ArrayList<>();
        Map<String, Long> scores = new LinkedHashMap<>();
        for (int i = 0; i < WEIGHTS.length; i++) {
          specs.add(spec(NAMES.get(i), WEIGHTS[i], 1_000_000, pending[i]));
          scores.put(NAMES.get(i), WEIGHTS[i] * (total + 1) - TOTAL_WEIGHT * pending[i]);
        }
        String chosen = Scheduler.choose(specs, ANY, NOW, schedulerRandom).orElseThrow();
        assertThat(scores.get(chosen))
            .as("score of %s when chosen at step %d (scores %s)", chosen, step, scores)
            .isPositive();
        pending[NAMES.indexOf(chosen)]++;
        total++;

        if (bounded) {
          assertWithinShare(pending, total, step);
        } else {
          bounded = maxExcess(pending, total) < 1;
        }
      }
      assertThat(bounded).as("the excess of every spec fell below 1").isTrue();
      return pending;
    }

    private void assertWithinShare(long[] pending, long total, int step) {
      for (int i = 0; i < WEIGHTS.length; i++) {
        assertThat(pending[i] - (double) WEIGHTS[i] * total / TOTAL_WEIGHT)
            .as("excess of %s after step %d, pending %s", NAMES.get(i), step,
                java.util.Arrays.toString(pending))
            .isLessThan(1)
            .isGreaterThan(-(WEIGHTS.length - 1));
      }
    }

    private double maxExcess(long[] pending, long total) {
      double max = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < WEIGHTS.length; i++) {
        max = Math.max(max, pending[i] - (double) WEIGHTS[i] * total / TOTAL_WEIGHT);
      }
      return max;
    }

    @Test
    void pendingCountsConvergeToTheWeightRatios() {
      // Starting from nothing every excess is 0, so the bound is checked from the first request.
      int concurrency = 100;
      long[] pending = simulate(new long[3], concurrency, 20_000, 1);

      long total = pending[0] + pending[1] + pending[2];
      assertThat(total).isEqualTo(concurrency);
      // within 2 units of the share (see the class comment), i.e. 2/100 of the ratio
      for (int i = 0; i < WEIGHTS.length; i++) {
        assertThat((double) pending[i] / total)
            .as(NAMES.get(i))
            .isCloseTo((double) WEIGHTS[i] / TOTAL_WEIGHT, within(2.0 / concurrency));
      }
    }

    @Test
    void boundHoldsWithOneWorkerPerUnitAndFrequentTurnover() {
      // A small pool: every request after the tenth follows a completion.
      long[] pending = simulate(new long[3], 10, 5_000, 2);
      assertThat(pending[0] + pending[1] + pending[2]).isEqualTo(10);
    }

    @Test
    void overfullSpecIsStarvedUntilItsShareCatchesUp() {
      // "w1" starts with all 300 pending units, ten times its share; only completions drain it,
      // and until its excess is gone the simulation checks it is never chosen with a score <= 0.
      long[] pending = simulate(new long[] {300, 0, 0}, 300, 10_000, 3);

      long total = pending[0] + pending[1] + pending[2];
      assertThat(total).isEqualTo(300);
      for (int i = 0; i < WEIGHTS.length; i++) {
        assertThat(Math.abs(pending[i] - (double) WEIGHTS[i] * total / TOTAL_WEIGHT))
            .as(NAMES.get(i))
            .isLessThan(2);
      }
    }
  }

  @Nested
  class BatchSize {
    private WorkSpecMeta limits(int maxRunning, int maxGetwork, long pending) {
      return meta(0, 1, 1000, pending).withMaxRunning(maxRunning).withMaxAttemptsReturned(
          maxGetwork);
    }

    @Test
    void requestedCountWithoutLimits() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(0, 0, 500))).isEqualTo(10);
    }

    @Test
    void atLeastOneUnitIsRequested() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(0), limits(0, 0, 0))).isEqualTo(1);
    }

    @Test
    void maxGetworkCapsTheBatch() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(0, 3, 0))).isEqualTo(3);
      assertThat(Scheduler.batchSize(AttemptRequest.of(2), limits(0, 3, 0))).isEqualTo(2);
    }

    @Test
    void maxRunningLeavesRoomForTheRest() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(5, 0, 3))).isEqualTo(2);
      assertThat(Scheduler.batchSize(AttemptRequest.of(1), limits(5, 0, 4))).isEqualTo(1);
      assertThat(Scheduler.batchSize(AttemptRequest.of(2), limits(5, 0, 0))).isEqualTo(2);
    }

    @Test
    void maxRunningReachedGivesZero() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(5, 0, 5))).isZero();
    }

    @Test
    void pendingAboveALoweredMaxRunningGivesZeroNotNegative() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(5, 0, 50))).isZero();
    }

    @Test
    void theRateLimitsAllowanceCapsTheBatchWithTheOtherCaps() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(0, 0, 0), 3)).isEqualTo(3);
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(5, 0, 3), 3)).isEqualTo(2);
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(0, 0, 0), 0)).isZero();
      assertThat(
              Scheduler.batchSize(AttemptRequest.of(10), limits(0, 0, 0), Integer.MAX_VALUE))
          .isEqualTo(10);
    }

    @Test
    void bothCapsApplyTheSmallerWins() {
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(5, 4, 0))).isEqualTo(4);
      assertThat(Scheduler.batchSize(AttemptRequest.of(10), limits(5, 4, 3))).isEqualTo(2);
    }
  }

  @Nested
  class ContinuousUnitName {
    @Test
    void unixSecondsWithMilliseconds() {
      assertThat(Scheduler.continuousUnitName(Instant.ofEpochSecond(1433866830, 291_000_000)))
          .isEqualTo("1433866830.291");
    }

    @Test
    void millisecondsArePaddedAndTruncated() {
      assertThat(Scheduler.continuousUnitName(Instant.ofEpochSecond(1700000000)))
          .isEqualTo("1700000000.000");
      assertThat(Scheduler.continuousUnitName(Instant.ofEpochSecond(1700000000, 5_000_000)))
          .isEqualTo("1700000000.005");
      assertThat(Scheduler.continuousUnitName(Instant.ofEpochSecond(1700000000, 999_999_999)))
          .isEqualTo("1700000000.999");
      assertThat(Scheduler.continuousUnitName(Instant.EPOCH)).isEqualTo("0.000");
    }

    @Test
    void namesAreParseableAsUnixTimeAndSortInTimeOrder() {
      Instant t = Instant.parse("2024-05-01T12:00:00.250Z");
      String name = Scheduler.continuousUnitName(t);
      assertThat(Double.parseDouble(name)).isEqualTo(t.toEpochMilli() / 1000.0);
      assertThat(Scheduler.continuousUnitName(t.plusMillis(1))).isGreaterThan(name);
    }

    @Test
    void digitsAreAsciiWhateverTheDefaultLocale() {
      Locale saved = Locale.getDefault(Locale.Category.FORMAT);
      try {
        for (String tag : List.of("ar-EG", "th-TH-u-nu-thai", "hi-IN-u-nu-deva", "de-DE")) {
          Locale.setDefault(Locale.Category.FORMAT, Locale.forLanguageTag(tag));
          assertThat(Scheduler.continuousUnitName(Instant.ofEpochSecond(1433866830, 291_000_000)))
              .as(tag)
              .isEqualTo("1433866830.291");
        }
      } finally {
        Locale.setDefault(Locale.Category.FORMAT, saved);
      }
    }
  }
}
