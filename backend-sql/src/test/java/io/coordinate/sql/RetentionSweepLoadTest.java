package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.Worker;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.retention.RetentionSweeper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Retention at scale: a spec holding 200,000 finished units and 10,000 failed ones is swept in
 * batches of 1,000 while another thread keeps asking for work from it and from another spec. The
 * sweep deletes exactly the units beyond the policy (the oldest by end time), with their attempts,
 * and every request for work is answered meanwhile, promptly (each well within a generous bound:
 * this checks that batches do not hold up leases, it does not measure them).
 */
class RetentionSweepLoadTest {
  private static final int FINISHED = 200_000;
  private static final int FAILED = 10_000;
  private static final int AVAILABLE = 5_000;
  /** Finished units end 10 ms apart, so the age bound falls between two known units. */
  private static final Duration END_SPACING = Duration.ofMillis(10);
  private static final Duration KEEP_FINISHED = Duration.ofSeconds(1_000);
  private static final int KEEP_FAILED = 1_000;
  /** How long one request for work may take before the test calls it held up. */
  private static final Duration PROMPT = Duration.ofSeconds(5);

  @RegisterExtension final TestStores stores = new TestStores();

  @ParameterizedTest
  @EnumSource(
      value = TestStores.Store.class,
      names = {"H2_FILE", "POSTGRESQL"})
  void aSweepDeletesExactlyWhatIsDueInBatchesWhileGetWorkGoesOn(TestStores.Store store)
      throws Exception {
    MutableClock clock = new MutableClock();
    Instant t0 = clock.instant();
    SqlConfig config = store.config(stores).withClock(clock);
    Namespace ns = stores.open(config).namespace("ns");
    WorkSpec big =
        ns.setWorkSpec(
            Map.of(
                "name", "big",
                "retain_finished_seconds", KEEP_FINISHED.toSeconds(),
                "retain_failed_count", KEEP_FAILED));
    WorkSpec other = ns.setWorkSpec(Map.of("name", "other"));

    // Finished unit i ended at t0 + 10 ms × i; failed unit i at t0 + i s.
    restore(big, "f", FINISHED, i -> t0.plus(END_SPACING.multipliedBy(i)), AttemptStatus.FINISHED);
    restore(big, "x", FAILED, i -> t0.plusSeconds(i), AttemptStatus.FAILED);
    addAvailable(big, "a", AVAILABLE);
    addAvailable(other, "o", AVAILABLE);

    // Now: 2,500 s after t0. Finished units that ended before now − 1,000 s go: f000000 to
    // f149999. Failed units beyond the 1,000 that ended last go: x000000 to x008999.
    clock.set(t0.plusSeconds(2_500));
    int dueFinished = 150_000;
    int dueFailed = FAILED - KEEP_FAILED;

    AtomicBoolean sweeping = new AtomicBoolean(true);
    ConcurrentLinkedQueue<Integer> batches = new ConcurrentLinkedQueue<>();
    AtomicInteger leasesDuringSweep = new AtomicInteger();
    AtomicLong slowestNanos = new AtomicLong();
    AtomicInteger requests = new AtomicInteger();
    RetentionSweeper.Totals[] totals = new RetentionSweeper.Totals[1];

    Threads.run(
        2,
        Duration.ofMinutes(10),
        id -> {
          if (id == 0) {
            try {
              totals[0] =
                  RetentionSweeper.sweep(
                      ns,
                      RetentionSweeper.DEFAULT_BATCH,
                      new RetentionSweeper.Listener() {
                        @Override
                        public void archived(String namespace, String workSpec, int units) {
                          batches.add(units);
                        }
                      });
            } finally {
              sweeping.set(false);
            }
            return;
          }
          Worker w = ns.worker("worker");
          while (sweeping.get()) {
            AttemptRequest request =
                AttemptRequest.one()
                    .withWorkSpecs(requests.get() % 2 == 0 ? "big" : "other")
                    .withLifetime(Duration.ofHours(1));
            long start = System.nanoTime();
            List<Attempt> got = w.requestAttempts(request);
            long took = System.nanoTime() - start;
            slowestNanos.accumulateAndGet(took, Math::max);
            requests.incrementAndGet();
            if (sweeping.get()) {
              leasesDuringSweep.addAndGet(got.size());
            }
            Thread.sleep(5);
          }
        });

    assertThat(totals[0]).isEqualTo(new RetentionSweeper.Totals(dueFinished + dueFailed, 1));
    assertThat(batches).allSatisfy(n -> assertThat(n).isBetween(1, 1_000));
    assertThat(batches.stream().mapToInt(Integer::intValue).sum())
        .isEqualTo(dueFinished + dueFailed);
    assertThat(batches).hasSize((dueFinished + dueFailed) / 1_000);
    assertThat(leasesDuringSweep.get()).as("units leased while the sweep ran").isPositive();
    assertThat(Duration.ofNanos(slowestNanos.get())).as("the slowest request for work")
        .isLessThan(PROMPT);

    WorkUnitCounts counts = big.countWorkUnitStatus();
    assertThat(counts.get(WorkUnitStatus.FINISHED)).isEqualTo(FINISHED - dueFinished);
    assertThat(counts.get(WorkUnitStatus.FAILED)).isEqualTo(KEEP_FAILED);
    assertThat(counts.get(WorkUnitStatus.AVAILABLE) + counts.get(WorkUnitStatus.PENDING))
        .isEqualTo(AVAILABLE);
    assertGone(big, "f149999");
    assertThat(big.workUnit(WorkUnitKey.of("f150000")).status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertGone(big, "x008999");
    assertThat(big.workUnit(WorkUnitKey.of("x009000")).status()).isEqualTo(WorkUnitStatus.FAILED);
    // The attempts went with their units: one per unit left with one, plus the leases made.
    long attemptsLeft =
        TestStores.count(config, "SELECT COUNT(*) FROM attempt a JOIN work_unit u"
            + " ON u.id = a.unit_id");
    assertThat(TestStores.count(config, "SELECT COUNT(*) FROM attempt")).isEqualTo(attemptsLeft);
    assertThat(attemptsLeft)
        .isEqualTo((FINISHED - dueFinished) + KEEP_FAILED + counts.get(WorkUnitStatus.PENDING)
            + other.countWorkUnitStatus().get(WorkUnitStatus.PENDING));
    assertThat(big.archive(1_000)).as("nothing more is due").isZero();
  }

  private static void assertGone(WorkSpec spec, String key) {
    assertThatThrownBy(() -> spec.workUnit(WorkUnitKey.of(key)))
        .isInstanceOf(NoSuchWorkUnitException.class);
  }

  private interface EndTime {
    Instant of(int i);
  }

  /** Writes {@code n} units whose last attempt ended as {@code status}, 5,000 per transaction. */
  private static void restore(
      WorkSpec spec, String prefix, int n, EndTime end, AttemptStatus status) {
    List<WorkUnitSnapshot> batch = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Instant ended = end.of(i);
      WorkUnitStatus unitStatus =
          status == AttemptStatus.FINISHED ? WorkUnitStatus.FINISHED : WorkUnitStatus.FAILED;
      batch.add(
          new WorkUnitSnapshot(
              WorkUnitKey.of(String.format("%s%06d", prefix, i)),
              Map.of("i", i),
              WorkUnitMeta.DEFAULT,
              unitStatus,
              new WorkUnitSnapshot.LastAttempt(
                  "old-worker", status, null, ended.minusSeconds(1), ended,
                  ended.plusSeconds(600))));
      if (batch.size() == 5_000 || i == n - 1) {
        spec.restoreWorkUnits(batch);
        batch.clear();
      }
    }
  }

  private static void addAvailable(WorkSpec spec, String prefix, int n) {
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      units.add(NewWorkUnit.of(String.format("%s%06d", prefix, i), Map.of("i", i)));
    }
    spec.addWorkUnits(units);
  }
}
