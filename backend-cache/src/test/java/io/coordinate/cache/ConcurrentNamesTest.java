package io.coordinate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.GoneException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sixteen threads on shared names through one cache: workers lease and finish, re-creators delete
 * units and add them again as a new generation, readers use long-lived cached handles. Every unit's
 * data carries its generation, and a worker finishes with the generation it leased, so the
 * database shows whether a finish ever landed on a later generation than the one leased (a stale
 * attempt acting on a re-created unit), and readers check that a cached handle never goes back to an
 * older generation.
 */
class ConcurrentNamesTest {
  @RegisterExtension final Stores stores = new Stores();

  private static final int KEYS = 12;
  private static final int WORKERS = 6;
  private static final int RECREATORS = 4;
  private static final int READERS = 6;
  private static final int ROUNDS = 150;

  @ParameterizedTest
  @EnumSource(Stores.Kind.class)
  void sixteenThreadsNeverActOnAStaleObject(Stores.Kind kind) throws Exception {
    Stores.Opened o = stores.open(kind);
    Namespace ns = o.cached().namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    AtomicLongArray generation = new AtomicLongArray(KEYS);
    for (int k = 0; k < KEYS; k++) {
      spec.addWorkUnit(key(k), Map.of("gen", 0L), WorkUnitMeta.DEFAULT);
    }
    Object[] keyLocks = new Object[KEYS];
    for (int k = 0; k < KEYS; k++) {
      keyLocks[k] = new Object();
    }
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < WORKERS + RECREATORS + READERS; t++) {
      int id = t;
      threads.add(
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      start.await();
                      if (id < WORKERS) {
                        work(ns.worker("w" + id));
                      } else if (id < WORKERS + RECREATORS) {
                        recreate(o.cached().namespace("n").workSpec("s"), generation, keyLocks, id);
                      } else {
                        read(o.cached().namespace("n").workSpec("s"), id);
                      }
                    } catch (Throwable e) {
                      errors.add(e);
                    }
                  }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.MINUTES.toMillis(3));
      assertThat(t.isAlive()).as("thread still running").isFalse();
    }
    assertThat(errors).isEmpty();

    // The database, read past the cache: a finished unit was finished by a lease of its own
    // generation, and every unit holds the latest generation added.
    WorkSpec truth = o.behind().namespace("n").workSpec("s");
    for (int k = 0; k < KEYS; k++) {
      WorkUnit u = truth.workUnit(key(k));
      Map<String, Object> data = u.data();
      assertThat(data.get("gen")).as("generation of key %d", k).isEqualTo(generation.get(k));
      if (u.status() == WorkUnitStatus.FINISHED) {
        assertThat(u.activeAttempt().orElseThrow().data().get("gen")).isEqualTo(generation.get(k));
      }
    }
  }

  private static WorkUnitKey key(int k) {
    return WorkUnitKey.of("k" + k);
  }

  /** Leases and finishes, recording in the finish the generation it leased. */
  private static void work(Worker worker) {
    for (int round = 0; round < ROUNDS; round++) {
      for (Attempt a : worker.requestAttempts(AttemptRequest.of(2).withLifetime(Duration.ofMinutes(5)))) {
        try {
          Object gen = a.data().get("gen");
          a.finish(Map.of("gen", gen));
        } catch (GoneException | LostLeaseException | NotPendingException expected) {
          // The unit was deleted or re-added meanwhile: this lease is over.
        }
      }
    }
  }

  /** Deletes a unit and adds it again as the next generation, one key at a time. */
  private static void recreate(WorkSpec spec, AtomicLongArray generation, Object[] locks, int id) {
    for (int round = 0; round < ROUNDS; round++) {
      int k = (round * 7 + id) % KEYS;
      synchronized (locks[k]) {
        long next = generation.get(k) + 1;
        spec.deleteWorkUnits(WorkUnitQuery.keys(key(k)));
        spec.addWorkUnit(key(k), Map.of("gen", next), WorkUnitMeta.DEFAULT);
        generation.set(k, next);
      }
    }
  }

  /** Uses long-lived cached handles; a handle never shows an older generation than it showed. */
  private static void read(WorkSpec spec, int id) {
    long[] seen = new long[KEYS];
    List<WorkUnit> handles = new ArrayList<>();
    for (int k = 0; k < KEYS; k++) {
      while (handles.size() == k) {
        try {
          handles.add(spec.workUnit(key(k)));
        } catch (NoSuchWorkUnitException betweenDeleteAndAdd) {
          Thread.onSpinWait();
        }
      }
    }
    for (int round = 0; round < ROUNDS; round++) {
      int k = (round + id) % KEYS;
      try {
        long gen = (Long) handles.get(k).data().get("gen");
        assertThat(gen).as("generation seen through a cached handle").isGreaterThanOrEqualTo(seen[k]);
        seen[k] = gen;
        handles.get(k).setPriority(round % 3);
      } catch (GoneException | NoSuchWorkUnitException expected) {
        // Between a delete and the add that follows it the key has no unit.
      }
    }
  }
}
