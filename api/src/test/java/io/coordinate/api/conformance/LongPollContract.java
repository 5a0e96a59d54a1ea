package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.keysOf;
import static io.coordinate.api.conformance.KitSupportB.leaseOne;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Requests that wait for work ({@link AttemptRequest#waitUpTo()}): they answer at once when there
 * is work, as soon as work appears while they wait (added, re-added, chained, given back, retried,
 * or found by the periodic probe: a lease that ran out, a spec resumed), and empty when the wait is
 * over. These tests wait on real time, a few seconds at most; "soon" is bounded generously (the
 * point is that the request returns well before its wait is over).
 */
public interface LongPollContract extends KitFixture {
  /** Long enough that a request answered before it was woken for a reason. */
  Duration LONG_WAIT = Duration.ofSeconds(30);

  /** The bound for "as soon as": far below {@link #LONG_WAIT}, far above any wake-up. */
  long SOON_MILLIS = 10_000;

  private AttemptRequest waiting(String spec) {
    return from(spec, 1).withWait(LONG_WAIT);
  }

  /** Starts {@code request} for worker {@code worker} on another thread, and lets it wait. */
  private Future<List<Attempt>> startWaiting(
      ExecutorService pool, String worker, AttemptRequest request) throws InterruptedException {
    Future<List<Attempt>> f = pool.submit(() -> namespace().worker(worker).requestAttempts(request));
    Thread.sleep(200); // long enough for it to find nothing and wait
    assertThat(f).as("still waiting").isNotDone();
    return f;
  }

  private static List<Attempt> soon(Future<List<Attempt>> f) throws Exception {
    return f.get(SOON_MILLIS, TimeUnit.MILLISECONDS);
  }

  @Test
  default void longPollAnswersAtOnceWhenThereIsWork() {
    WorkSpec s = spec(namespace(), "s");
    unit(s, "a");
    long start = System.nanoTime();
    List<Attempt> got = namespace().worker("w").requestAttempts(waiting("s"));
    assertThat(keysOf(got)).containsExactly("a");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(LONG_WAIT);
  }

  @Test
  default void longPollAnswersEmptyWhenTheWaitIsOver() {
    spec(namespace(), "s");
    long start = System.nanoTime();
    List<Attempt> got =
        namespace().worker("w").requestAttempts(from("s", 1).withWait(Duration.ofMillis(700)));
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(got).isEmpty();
    assertThat(tookMillis).as("waited its time").isGreaterThanOrEqualTo(690);
  }

  @Test
  default void longPollWakesWhenAUnitIsAdded() throws Exception {
    WorkSpec s = spec(namespace(), "s");
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = startWaiting(pool, "w", waiting("s"));
      unit(s, "new");
      assertThat(keysOf(soon(waiter))).containsExactly("new");
    }
  }

  @Test
  default void longPollWakesForTheSpecItWaitsFor() throws Exception {
    WorkSpec wanted = spec(namespace(), "wanted");
    WorkSpec other = spec(namespace(), "other");
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = startWaiting(pool, "w", waiting("wanted"));
      unit(other, "not-this");
      Thread.sleep(300);
      assertThat(waiter).as("another spec's unit is not for it").isNotDone();
      unit(wanted, "this");
      assertThat(keysOf(soon(waiter))).containsExactly("this");
    }
    assertThat(other.workUnit(KitSupportB.key("not-this")).status())
        .isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void manyWaitersShareABatchOfUnitsOneEach() throws Exception {
    WorkSpec s = spec(namespace(), "s");
    int waiters = 8;
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<Attempt>>> futures = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        futures.add(pool.submit(idle(i)));
      }
      Thread.sleep(300);
      for (Future<List<Attempt>> f : futures) {
        assertThat(f).isNotDone();
      }
      List<NewWorkUnit> batch = new ArrayList<>();
      for (int i = 0; i < waiters; i++) {
        batch.add(NewWorkUnit.of("u" + i, Map.of()));
      }
      s.addWorkUnits(batch);
      Set<String> got = new HashSet<>();
      for (Future<List<Attempt>> f : futures) {
        List<Attempt> attempts = soon(f);
        assertThat(attempts).hasSize(1);
        got.add(attempts.get(0).workUnit().key().toString());
      }
      assertThat(got).as("each unit went to one waiter").hasSize(waiters);
    }
  }

  private Callable<List<Attempt>> idle(int i) {
    return () -> namespace().worker("w" + i).requestAttempts(waiting("s"));
  }

  @Test
  default void longPollWakesWhenALeaseIsGivenBackOrRetried() throws Exception {
    WorkSpec s = spec(namespace(), "s");
    unit(s, "a");
    unit(s, "b");
    Attempt a = leaseOne(namespace().worker("first"), "s");
    Attempt b = leaseOne(namespace().worker("first"), "s");
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = startWaiting(pool, "w", waiting("s"));
      a.expire(null);
      assertThat(keysOf(soon(waiter))).containsExactly(a.workUnit().key().toString());
      Future<List<Attempt>> second = startWaiting(pool, "w2", waiting("s"));
      b.retry(null, Duration.ZERO);
      assertThat(keysOf(soon(second))).containsExactly(b.workUnit().key().toString());
    }
  }

  @Test
  default void longPollWakesForChainedOutputs() throws Exception {
    spec(namespace(), "first", "then", "next");
    spec(namespace(), "next");
    unit(namespace().workSpec("first"), "x");
    Attempt a = leaseOne(namespace().worker("first-worker"), "first");
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = startWaiting(pool, "w", waiting("next"));
      a.finish(Map.of("output", List.of("y")));
      assertThat(keysOf(soon(waiter))).containsExactly("y");
    }
  }

  @Test
  default void longPollFindsALeaseThatRanOutByProbing() throws Exception {
    WorkSpec s = spec(namespace(), "s");
    unit(s, "a");
    leaseOne(namespace().worker("first"), "s", Duration.ofMinutes(1));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = startWaiting(pool, "w", waiting("s"));
      clock().advance(Duration.ofMinutes(2)); // nothing tells anyone: the probe finds it
      assertThat(keysOf(soon(waiter))).containsExactly("a");
    }
  }

  @Test
  default void longPollFindsAResumedSpecByProbing() throws Exception {
    WorkSpec s = spec(namespace(), "s");
    unit(s, "a");
    WorkSpecMeta meta = s.meta(false);
    s.setMeta(meta.withPaused(true));
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<List<Attempt>> waiter = startWaiting(pool, "w", waiting("s"));
      s.setMeta(meta.withPaused(false));
      assertThat(keysOf(soon(waiter))).containsExactly("a");
    }
  }

  @Test
  default void waitingLongerThanTheLimitIsRefused() {
    assertThatThrownBy(() -> AttemptRequest.one().withWait(AttemptRequest.MAX_WAIT.plusMillis(1)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("wait");
    assertThatThrownBy(() -> AttemptRequest.one().withWait(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidRequestException.class);
  }
}
