package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.GROUP_TIMEOUT;
import static io.coordinate.api.conformance.KitSupportB.activeWorker;
import static io.coordinate.api.conformance.KitSupportB.deadline;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.race;
import static io.coordinate.api.conformance.KitSupportB.round;
import static io.coordinate.api.conformance.KitSupportB.runThreads;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.timeLeft;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static io.coordinate.api.conformance.KitSupportB.units;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.GoneException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Real threads against one backend: every unit leased exactly once, max_running held at every
 * moment, races between a worker's finish or renew and an expiry, a retry or another worker's
 * takeover ending in exactly one outcome, and producers racing consumers. Each test is bounded in
 * time; loops poll a deadline so a broken backend fails instead of hanging.
 */
public interface ConcurrencyContract extends KitFixture {

  // ---- every unit leased exactly once ----

  @Test
  default void concurrencyEachUnitIsLeasedExactlyOnce() throws Exception {
    int total = 10_000;
    WorkSpec spec = spec(namespace(), "bulk");
    units(spec, "u", total);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Set<String> duplicates = ConcurrentHashMap.newKeySet();
    long deadline = deadline();

    runThreads(
        16,
        GROUP_TIMEOUT,
        id -> {
          Worker w = namespace().worker("w" + id);
          AttemptRequest request = AttemptRequest.of(1 + id % 4);
          while (timeLeft(deadline)) {
            List<Attempt> got = w.requestAttempts(request);
            if (got.isEmpty()) {
              return;
            }
            for (Attempt a : got) {
              String k = a.workUnit().key().toString();
              if (!seen.add(k)) {
                duplicates.add(k);
              }
              a.finish(null);
            }
          }
        });

    assertThat(duplicates).as("units leased twice").isEmpty();
    assertThat(seen).hasSize(total);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(total);
    assertThat(spec.meta(true).pendingCount()).isZero();
  }

  @Test
  default void concurrencyLeasesWithoutFinishingNeverOverlap() throws Exception {
    int total = 2_000;
    WorkSpec spec = spec(namespace(), "hold");
    units(spec, "u", total);
    Map<String, String> holder = new ConcurrentHashMap<>();
    Set<String> duplicates = ConcurrentHashMap.newKeySet();
    long deadline = deadline();

    runThreads(
        16,
        GROUP_TIMEOUT,
        id -> {
          Worker w = namespace().worker("w" + id);
          while (timeLeft(deadline)) {
            List<Attempt> got = w.requestAttempts(AttemptRequest.of(7));
            if (got.isEmpty()) {
              return;
            }
            for (Attempt a : got) {
              if (holder.putIfAbsent(a.workUnit().key().toString(), w.name()) != null) {
                duplicates.add(a.workUnit().key().toString());
              }
            }
          }
        });

    assertThat(duplicates).isEmpty();
    assertThat(holder).hasSize(total);
    assertThat(spec.meta(true).pendingCount()).isEqualTo(total);
    // Each worker's own list agrees with what its thread was handed.
    int listed = 0;
    for (int i = 0; i < 16; i++) {
      Worker w = namespace().worker("w" + i);
      for (Attempt a : w.activeAttempts()) {
        assertThat(holder).containsEntry(a.workUnit().key().toString(), w.name());
        listed++;
      }
    }
    assertThat(listed).isEqualTo(total);
  }

  // ---- max_running under contention ----

  @Test
  default void concurrencyMaxRunningHoldsAtEveryMoment() throws Exception {
    int total = 300;
    int maxRunning = 3;
    int threads = 16;
    WorkSpec spec = spec(namespace(), "narrow", "max_running", maxRunning);
    units(spec, "u", total);
    AtomicInteger held = new AtomicInteger();
    AtomicInteger maxHeld = new AtomicInteger();
    AtomicLong maxPending = new AtomicLong();
    AtomicInteger finished = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    long deadline = deadline();

    runThreads(
        threads + 1,
        GROUP_TIMEOUT,
        id -> {
          if (id == threads) {
            // The monitor: the backend's own count must never exceed the limit either.
            while (!done.get() && timeLeft(deadline)) {
              long pending = spec.meta(true).pendingCount();
              maxPending.accumulateAndGet(pending, Math::max);
              Thread.yield();
            }
            return;
          }
          Worker w = namespace().worker("w" + id);
          try {
            while (finished.get() < total && timeLeft(deadline)) {
              List<Attempt> got = w.requestAttempts(AttemptRequest.of(2));
              if (got.isEmpty()) {
                Thread.yield();
                continue;
              }
              // Counted after the lease and uncounted before the finish, so `held` never exceeds
              // the number really pending.
              maxHeld.accumulateAndGet(held.addAndGet(got.size()), Math::max);
              for (Attempt a : got) {
                held.decrementAndGet();
                a.finish(null);
                finished.incrementAndGet();
              }
            }
          } finally {
            if (finished.get() >= total) {
              done.set(true);
            }
          }
        });
    done.set(true);

    assertThat(maxHeld.get()).as("leases held at once").isBetween(1, maxRunning);
    assertThat(maxPending.get()).as("pending count seen by the monitor").isLessThanOrEqualTo(maxRunning);
    assertThat(finished.get()).isEqualTo(total);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(total);
  }

  // ---- races on one attempt: exactly one outcome ----

  @Test
  default void concurrencyFinishRacingExpireEndsFinished() throws Exception {
    WorkSpec spec = spec(namespace(), "race");
    Worker w = namespace().worker("w");
    race(
        200,
        i -> {
          Attempt a = w.makeAttempt(unit(spec, "r" + i), KitSupportB.LEASE);
          return round(
              () -> {
                a.finish(Map.of("by", "finish"));
                return null;
              },
              () -> {
                a.expire(Map.of("by", "expire"));
                return null;
              },
              (finish, expire) -> {
                // Expire first leaves the attempt expired but active, so finish still wins.
                assertThat(finish).isEqualTo("ok");
                assertThat(expire)
                    .satisfiesAnyOf(
                        o -> assertThat(o).isEqualTo("ok"),
                        o -> assertThat(o).isInstanceOf(NotPendingException.class));
                assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
                assertThat(a.data()).isEqualTo(Map.of("by", "finish"));
                assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
              });
        });
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(200);
    assertThat(namespace().worker("w").activeAttempts()).isEmpty();
  }

  @Test
  default void concurrencyFinishRacingRenewEndsFinished() throws Exception {
    WorkSpec spec = spec(namespace(), "race");
    Worker w = namespace().worker("w");
    race(
        200,
        i -> {
          Attempt a = w.makeAttempt(unit(spec, "r" + i), KitSupportB.LEASE);
          return round(
              () -> {
                a.finish(Map.of("by", "finish"));
                return null;
              },
              () -> {
                a.renew(Duration.ofHours(1), null);
                return null;
              },
              (finish, renew) -> {
                assertThat(finish).isEqualTo("ok");
                assertThat(renew)
                    .satisfiesAnyOf(
                        o -> assertThat(o).isEqualTo("ok"),
                        o -> assertThat(o).isInstanceOf(NotPendingException.class));
                assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
                assertThat(a.data()).isEqualTo(Map.of("by", "finish"));
                assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
              });
        });
    assertThat(spec.meta(true).pendingCount()).isZero();
    assertThat(namespace().worker("w").activeAttempts()).isEmpty();
  }

  @Test
  default void concurrencyFinishRacingRetryHasOneWinner() throws Exception {
    WorkSpec spec = spec(namespace(), "race");
    Worker w = namespace().worker("w");
    AtomicInteger finishWins = new AtomicInteger();
    race(
        200,
        i -> {
          WorkUnit u = unit(spec, "r" + i);
          Attempt a = w.makeAttempt(u, KitSupportB.LEASE);
          return round(
              () -> {
                a.finish(null);
                return null;
              },
              () -> {
                a.retry(null, Duration.ofDays(1));
                return null;
              },
              (finish, retry) -> {
                if (finish.equals("ok")) {
                  finishWins.incrementAndGet();
                  assertThat(retry).isInstanceOf(NotPendingException.class);
                  assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
                  assertThat(u.status()).isEqualTo(WorkUnitStatus.FINISHED);
                } else {
                  assertThat(finish).isInstanceOf(NotPendingException.class);
                  assertThat(retry).isEqualTo("ok");
                  assertThat(a.status()).isEqualTo(AttemptStatus.RETRYABLE);
                  assertThat(u.status()).isEqualTo(WorkUnitStatus.DELAYED);
                }
              });
        });
    assertThat(spec.meta(true).pendingCount()).isZero();
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(finishWins.get());
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.DELAYED))
        .isEqualTo(200 - finishWins.get());
  }

  @Test
  default void concurrencyLateFinishRacingTakeoverHasOneWinner() throws Exception {
    WorkSpec spec = spec(namespace(), "race");
    Worker late = namespace().worker("late");
    Worker taker = namespace().worker("taker");
    race(
        150,
        i -> {
          WorkUnit u = unit(spec, "r" + i);
          Attempt old = late.makeAttempt(u, Duration.ofMinutes(1));
          clock().advance(Duration.ofMinutes(2)); // expired, still active: both moves are legal
          List<List<Attempt>> taken = new ArrayList<>();
          return round(
              () -> {
                old.finish(Map.of("by", "late"));
                return null;
              },
              () -> {
                List<Attempt> got = taker.requestAttempts(from("race", 1));
                synchronized (taken) {
                  taken.add(got);
                }
                return got.size();
              },
              (finish, takenCount) -> {
                if (finish.equals("ok")) {
                  assertThat(takenCount).isEqualTo(0);
                  assertThat(old.status()).isEqualTo(AttemptStatus.FINISHED);
                  assertThat(u.status()).isEqualTo(WorkUnitStatus.FINISHED);
                  assertThat(u.attempts()).hasSize(1);
                } else {
                  assertThat(finish).isInstanceOf(NotPendingException.class);
                  assertThat(takenCount).isEqualTo(1);
                  assertThat(old.status()).isEqualTo(AttemptStatus.EXPIRED);
                  assertThat(u.status()).isEqualTo(WorkUnitStatus.PENDING);
                  assertThat(activeWorker(u)).isEqualTo("taker");
                  taken.get(0).get(0).finish(null);
                }
                assertThat(u.status()).isEqualTo(WorkUnitStatus.FINISHED);
              });
        });
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(150);
  }

  @Test
  default void concurrencyRenewRacingTakeoverHasOneWinner() throws Exception {
    WorkSpec spec = spec(namespace(), "race");
    Worker late = namespace().worker("late");
    Worker taker = namespace().worker("taker");
    race(
        150,
        i -> {
          WorkUnit u = unit(spec, "r" + i);
          Attempt old = late.makeAttempt(u, Duration.ofMinutes(1));
          clock().advance(Duration.ofMinutes(2));
          List<List<Attempt>> taken = new ArrayList<>();
          return round(
              () -> {
                old.renew(Duration.ofMinutes(5), Map.of("by", "late"));
                return null;
              },
              () -> {
                List<Attempt> got = taker.requestAttempts(from("race", 1));
                synchronized (taken) {
                  taken.add(got);
                }
                return got.size();
              },
              (renew, takenCount) -> {
                // Either way the renewal's data is recorded on the old attempt.
                assertThat(old.data()).isEqualTo(Map.of("by", "late"));
                if (renew.equals("ok")) {
                  assertThat(takenCount).isEqualTo(0);
                  assertThat(old.status()).isEqualTo(AttemptStatus.PENDING);
                  assertThat(activeWorker(u)).isEqualTo("late");
                  old.finish(null);
                } else {
                  assertThat(renew).isInstanceOf(LostLeaseException.class);
                  assertThat(takenCount).isEqualTo(1);
                  assertThat(old.status()).isEqualTo(AttemptStatus.EXPIRED);
                  assertThat(activeWorker(u)).isEqualTo("taker");
                  taken.get(0).get(0).finish(null);
                }
                assertThat(u.status()).isEqualTo(WorkUnitStatus.FINISHED);
              });
        });
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(150);
    assertThat(late.activeAttempts()).isEmpty();
    assertThat(taker.activeAttempts()).isEmpty();
  }

  // ---- producers and consumers ----

  /**
   * Units deleted and added again while others lease them: a lease gets live units or none and
   * never fails; giving back a unit deleted or re-added meanwhile fails only as the rules say.
   */
  @Test
  default void concurrencyDeletingWhileLeasing() throws Exception {
    int keys = 30;
    WorkSpec spec = spec(namespace(), "churn");
    for (int k = 0; k < keys; k++) {
      spec.addWorkUnit(key("k" + k), Map.of(), WorkUnitMeta.DEFAULT);
    }
    AtomicInteger leased = new AtomicInteger();
    long deadline = deadline();
    runThreads(
        6,
        GROUP_TIMEOUT,
        id -> {
          if (id < 2) {
            for (int round = 0; round < 40 && timeLeft(deadline); round++) {
              var k = key("k" + ((round * 7 + id) % keys));
              spec.deleteWorkUnits(WorkUnitQuery.keys(k));
              spec.addWorkUnit(k, Map.of(), WorkUnitMeta.DEFAULT);
            }
            return;
          }
          Worker w = namespace().worker("w" + id);
          for (int round = 0; round < 40 && timeLeft(deadline); round++) {
            for (Attempt a : w.requestAttempts(AttemptRequest.of(2))) {
              leased.incrementAndGet();
              try {
                a.retry(null, null);
              } catch (GoneException | NotPendingException | LostLeaseException expected) {
                // Deleted meanwhile, or deleted and added again (which ends the lease).
              }
            }
          }
        });
    assertThat(leased.get()).isPositive();
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(keys);
  }

  @Test
  default void concurrencyAddingWhileLeasing() throws Exception {
    int producers = 4;
    int batches = 25;
    int batchSize = 40;
    int total = producers * batches * batchSize;
    WorkSpec spec = spec(namespace(), "stream");
    Set<String> seen = ConcurrentHashMap.newKeySet();
    Set<String> duplicates = ConcurrentHashMap.newKeySet();
    AtomicInteger producersDone = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    long deadline = deadline();

    runThreads(
        producers + 8,
        GROUP_TIMEOUT,
        id -> {
          if (id < producers) {
            try {
              for (int b = 0; b < batches && timeLeft(deadline); b++) {
                List<NewWorkUnit> batch = new ArrayList<>();
                for (int k = 0; k < batchSize; k++) {
                  batch.add(NewWorkUnit.of(String.format("p%d-%03d-%03d", id, b, k), Map.of()));
                }
                spec.addWorkUnits(batch);
              }
            } finally {
              producersDone.incrementAndGet();
            }
            return;
          }
          Worker w = namespace().worker("c" + id);
          while (timeLeft(deadline)
              && (producersDone.get() < producers || finished.get() < total)) {
            List<Attempt> got = w.requestAttempts(AttemptRequest.of(3));
            if (got.isEmpty()) {
              if (producersDone.get() == producers && finished.get() >= total) {
                return;
              }
              Thread.yield();
              continue;
            }
            for (Attempt a : got) {
              String k = a.workUnit().key().toString();
              if (!seen.add(k)) {
                duplicates.add(k);
              }
              a.finish(null);
              finished.incrementAndGet();
            }
          }
        });

    assertThat(duplicates).isEmpty();
    assertThat(seen).hasSize(total);
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(total);
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(total);
  }

  // ---- workers ----

  @Test
  default void concurrencyWorkerGetOrCreateMakesOneWorker() throws Exception {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 64);
    runThreads(
        16,
        GROUP_TIMEOUT,
        id -> {
          Worker w = namespace().worker("shared");
          w.heartbeat("run", Map.of("thread", id), Duration.ofMinutes(1));
          w.requestAttempts(AttemptRequest.of(4));
        });
    assertThat(namespace().workers()).hasSize(1);
    Worker shared = namespace().worker("shared");
    assertThat(shared.activeAttempts()).hasSize(64);
    assertThat(shared.data()).containsKey("thread");
    assertThat(spec.workUnit(key("u00000")).status()).isEqualTo(WorkUnitStatus.PENDING);
  }
}
