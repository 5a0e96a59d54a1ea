package io.coordinate.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Helpers for the attempt, worker, scheduling, continuous, chaining and concurrency contracts:
 * building specs and units tersely, leasing from one spec, and running bounded thread groups.
 */
final class KitSupportB {
  /** The lease most tests use: long enough that it never runs out unless the test moves time. */
  static final Duration LEASE = Duration.ofMinutes(5);

  private KitSupportB() {}

  /** A definition map: {@code name} plus alternating keys and values. */
  static Map<String, Object> definition(String name, Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("name", name);
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /** Creates (or redefines) the spec {@code name} with the given extra definition keys. */
  static WorkSpec spec(Namespace namespace, String name, Object... keysAndValues) {
    return namespace.setWorkSpec(definition(name, keysAndValues));
  }

  static WorkUnitKey key(String text) {
    return WorkUnitKey.of(text);
  }

  /** Adds a unit whose data is {@code {"key": key}}. */
  static WorkUnit unit(WorkSpec spec, String key) {
    return spec.addWorkUnit(key(key), Map.of("key", key), WorkUnitMeta.DEFAULT);
  }

  /** Adds a unit with this priority. */
  static WorkUnit unit(WorkSpec spec, String key, double priority) {
    return spec.addWorkUnit(key(key), Map.of("key", key), WorkUnitMeta.ofPriority(priority));
  }

  /** Adds {@code n} units named {@code prefix00000}, {@code prefix00001}, … in one call. */
  static void units(WorkSpec spec, String prefix, int n) {
    List<NewWorkUnit> batch = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      batch.add(NewWorkUnit.of(String.format("%s%05d", prefix, i), Map.of("i", i)));
    }
    spec.addWorkUnits(batch);
  }

  /** A request for up to {@code n} units of {@code spec} with the kit's lease. */
  static AttemptRequest from(String spec, int n) {
    return AttemptRequest.of(n).withWorkSpecs(spec).withLifetime(LEASE);
  }

  /** Leases exactly one unit of {@code spec} with {@code lifetime}; fails if there is none. */
  static Attempt leaseOne(Worker worker, String spec, Duration lifetime) {
    List<Attempt> got =
        worker.requestAttempts(AttemptRequest.one().withWorkSpecs(spec).withLifetime(lifetime));
    assertThat(got).as("attempts leased from %s", spec).hasSize(1);
    return got.get(0);
  }

  /** Leases exactly one unit of {@code spec} with the kit's lease. */
  static Attempt leaseOne(Worker worker, String spec) {
    return leaseOne(worker, spec, LEASE);
  }

  /** The unit keys of these attempts, as text, in list order. */
  static List<String> keysOf(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.workUnit().key().toString()).toList();
  }

  /** The keys of these units, as text, in list order. */
  static List<String> unitKeys(List<WorkUnit> units) {
    return units.stream().map(u -> u.key().toString()).toList();
  }

  /** The names of the workers that made these attempts, in list order. */
  static List<String> workersOf(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.worker().name()).toList();
  }

  /** The name of the worker holding the unit's active attempt, or "" when none. */
  static String activeWorker(WorkUnit unit) {
    return unit.activeAttempt().map(a -> a.worker().name()).orElse("");
  }

  /**
   * Asserts that {@code transition} raises {@link NotPendingException} and leaves the attempt's
   * status and data and its unit's status as they were.
   */
  static void assertRejected(Attempt attempt, ThrowingCallable transition) {
    AttemptStatus status = attempt.status();
    Map<String, Object> data = attempt.data();
    WorkUnitStatus unitStatus = attempt.workUnit().status();
    assertThatThrownBy(transition).isInstanceOf(NotPendingException.class);
    assertThat(attempt.status()).isEqualTo(status);
    assertThat(attempt.data()).isEqualTo(data);
    assertThat(attempt.workUnit().status()).isEqualTo(unitStatus);
  }

  // ---- concurrency ----

  /** How long a thread group may run before the test fails. */
  static final Duration GROUP_TIMEOUT = Duration.ofSeconds(120);

  /**
   * How long worker loops keep trying before giving up. They normally end far sooner; the remote
   * client on PostgreSQL leases 10,000 units in about 15 s on a quiet 2-core machine and has taken
   * over 25 s on a busy one, so the budget leaves room for that.
   */
  static final Duration LOOP_BUDGET = Duration.ofSeconds(90);

  /** The {@link System#nanoTime()} at which loops started now must stop. */
  static long deadline() {
    return System.nanoTime() + LOOP_BUDGET.toNanos();
  }

  /** True while a loop may go on: before its deadline and not interrupted. */
  static boolean timeLeft(long deadline) {
    return System.nanoTime() < deadline && !Thread.currentThread().isInterrupted();
  }

  /** The body of one thread of a group; {@code id} runs from 0. */
  @FunctionalInterface
  interface ThreadBody {
    void run(int id) throws Exception;
  }

  /**
   * Runs {@code threads} copies of {@code body} at once and waits for all of them, at most {@code
   * timeout} in total; rethrows the first failure. Bodies must end by themselves (they poll a
   * deadline); interrupting them is only the last resort.
   */
  static void runThreads(int threads, Duration timeout, ThreadBody body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        int id = i;
        futures.add(
            pool.submit(
                () -> {
                  body.run(id);
                  return null;
                }));
      }
      long deadline = System.nanoTime() + timeout.toNanos();
      for (Future<?> f : futures) {
        f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Two actions to start at the same moment, and the check of their outcomes. */
  interface Round {
    Object first() throws Exception;

    Object second() throws Exception;

    /** Each outcome is "ok", the action's non-null result, or the exception it raised. */
    void check(Object firstOutcome, Object secondOutcome);
  }

  /** Builds round {@code i} of a race (on the test's thread, before the round starts). */
  @FunctionalInterface
  interface RoundFactory {
    Round make(int i);
  }

  static Round round(
      Callable<Object> first, Callable<Object> second, BiConsumer<Object, Object> check) {
    return new Round() {
      @Override
      public Object first() throws Exception {
        return first.call();
      }

      @Override
      public Object second() throws Exception {
        return second.call();
      }

      @Override
      public void check(Object a, Object b) {
        check.accept(a, b);
      }
    };
  }

  /**
   * Runs {@code rounds} rounds of two actions released together by a barrier on two threads, and
   * checks each round's outcomes before the next starts.
   */
  static void race(int rounds, RoundFactory factory) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int i = 0; i < rounds; i++) {
        Round r = factory.make(i);
        CyclicBarrier start = new CyclicBarrier(2);
        Future<Object> first = pool.submit(() -> outcome(start, r::first));
        Future<Object> second = pool.submit(() -> outcome(start, r::second));
        r.check(first.get(10, TimeUnit.SECONDS), second.get(10, TimeUnit.SECONDS));
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** Waits for the other racer, runs the action, and turns its result into an outcome. */
  private static Object outcome(CyclicBarrier start, Callable<Object> action) throws Exception {
    start.await(5, TimeUnit.SECONDS);
    try {
      Object result = action.call();
      return result == null ? "ok" : result;
    } catch (NotPendingException | LostLeaseException e) {
      // The expected ways to lose a race are outcomes, not failures.
      return e;
    }
  }
}
