package io.coordinate.api.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Deadline;
import io.coordinate.api.UnitEvents.Transition;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LongPoll} on its own: who is woken by what, how often a waiter looks, and how a wait
 * ends. The "store" here is a counter of units a waiter may take.
 */
class LongPollTest {
  private static final AttemptRequest WAIT_LONG =
      AttemptRequest.one().withWait(Duration.ofSeconds(30));

  /** A probe so slow that only signals wake anyone within a test. */
  private final LongPoll poll = new LongPoll(Duration.ofMinutes(10));

  private final ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();

  @AfterEach
  void close() {
    poll.close();
    pool.shutdownNow();
  }

  /** Takes one of {@code units} if there is one; counts its looks in {@code looks}. */
  private static Supplier<List<String>> taking(AtomicInteger units, AtomicInteger looks) {
    return () -> {
      looks.incrementAndGet();
      return units.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? List.of("unit") : List.of();
    };
  }

  private Future<List<String>> waiter(
      String namespace, AttemptRequest request, Supplier<List<String>> attempt)
      throws InterruptedException {
    int before = poll.waiting();
    Future<List<String>> f = pool.submit(() -> poll.request(namespace, request, attempt));
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (poll.waiting() == before && System.nanoTime() < until) {
      Thread.sleep(2);
    }
    assertThat(poll.waiting()).as("the request waits").isGreaterThan(before);
    return f;
  }

  @Test
  void aRequestThatDoesNotWaitLooksOnce() {
    AtomicInteger looks = new AtomicInteger();
    assertThat(poll.request("ns", AttemptRequest.one(), taking(new AtomicInteger(), looks)))
        .isEmpty();
    assertThat(looks).hasValue(1);
    assertThat(poll.waiting()).isZero();
  }

  @Test
  void aWaiterLooksOnceAndThenSleepsUntilSignalled() throws Exception {
    AtomicInteger units = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    Future<List<String>> f = waiter("ns", WAIT_LONG, taking(units, looks));
    Thread.sleep(200);
    assertThat(looks).as("no busy looking").hasValue(1);
    units.set(1);
    poll.record("ns", "s", Transition.ADDED, 1);
    assertThat(f.get(5, TimeUnit.SECONDS)).containsExactly("unit");
    assertThat(looks).hasValue(2);
    assertThat(poll.waiting()).isZero();
  }

  @Test
  void leasesWakeNobodyAndOtherNamespacesAndSpecsAreLeftAlone() throws Exception {
    AtomicInteger looks = new AtomicInteger();
    waiter("ns", WAIT_LONG.withWorkSpecs("wanted"), taking(new AtomicInteger(), looks));
    poll.record("ns", "wanted", Transition.LEASED, 5);
    poll.signal("other-ns", "wanted", 5);
    poll.signal("ns", "another-spec", 5);
    Thread.sleep(200);
    assertThat(looks).hasValue(1);
    poll.signal("ns", "wanted", 1);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (looks.get() < 2 && System.nanoTime() < until) {
      Thread.sleep(2);
    }
    assertThat(looks).hasValue(2);
  }

  @Test
  void aSignalForNUnitsWakesAtMostNWaitersAndASuccessPassesItOn() throws Exception {
    AtomicInteger units = new AtomicInteger();
    AtomicInteger looks = new AtomicInteger();
    List<Future<List<String>>> waiters = new java.util.ArrayList<>();
    for (int i = 0; i < 5; i++) {
      waiters.add(waiter("ns", WAIT_LONG, taking(units, looks)));
    }
    units.set(3);
    poll.signal("ns", "s", 1); // one woken; each success wakes the next
    int got = 0;
    for (Future<List<String>> f : waiters.subList(0, 3)) {
      got += f.get(5, TimeUnit.SECONDS).size();
    }
    assertThat(got).isEqualTo(3);
    Thread.sleep(200);
    assertThat(poll.waiting()).as("the last two wait on").isEqualTo(2);
  }

  @Test
  void theProbeWakesTheLongestWaiterOfEachNamespace() throws Exception {
    try (LongPoll fast = new LongPoll(Duration.ofMillis(100))) {
      AtomicInteger units = new AtomicInteger();
      AtomicInteger looks = new AtomicInteger();
      Future<List<String>> f =
          pool.submit(() -> fast.request("ns", WAIT_LONG, taking(units, looks)));
      Thread.sleep(550);
      assertThat(looks.get()).as("about one look per probe").isBetween(2, 10);
      units.set(1); // appears without any signal, as a lease that runs out does
      assertThat(f.get(5, TimeUnit.SECONDS)).containsExactly("unit");
    }
  }

  @Test
  void aWaitEndsEmptyWhenItsTimeIsOverOrOnCloseOrInterrupt() throws Exception {
    long start = System.nanoTime();
    assertThat(
            poll.request(
                "ns",
                AttemptRequest.one().withWait(Duration.ofMillis(300)),
                taking(new AtomicInteger(), new AtomicInteger())))
        .isEmpty();
    assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(300_000_000L);

    Future<List<String>> interrupted =
        waiter("ns", WAIT_LONG, taking(new AtomicInteger(), new AtomicInteger()));
    interrupted.cancel(true);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (poll.waiting() > 0 && System.nanoTime() < until) {
      Thread.sleep(2);
    }
    assertThat(poll.waiting()).isZero();

    Future<List<String>> closed =
        waiter("ns", WAIT_LONG, taking(new AtomicInteger(), new AtomicInteger()));
    poll.close();
    assertThat(closed.get(5, TimeUnit.SECONDS)).isEmpty();
    AtomicInteger looks = new AtomicInteger();
    assertThat(poll.request("ns", WAIT_LONG, taking(new AtomicInteger(), looks))).isEmpty();
    assertThat(looks).as("after close, a request looks once and answers").hasValue(1);
  }

  @Test
  void theRequestDeadlineIsExtendedByTheWait() throws Exception {
    AtomicReference<Long> left = new AtomicReference<>();
    Deadline.within(
        System.nanoTime(),
        Duration.ofSeconds(1),
        () ->
            poll.request(
                "ns",
                AttemptRequest.one().withWait(Duration.ofSeconds(60)),
                () -> {
                  left.set(Deadline.remainingNanos());
                  return List.of("unit");
                }));
    assertThat(left.get()).isGreaterThan(Duration.ofSeconds(60).toNanos());
  }

  @Test
  void theFirstWaitRunsTheStartActionOnce() throws Exception {
    AtomicInteger started = new AtomicInteger();
    poll.beforeFirstWait(started::incrementAndGet);
    AttemptRequest brief = AttemptRequest.one().withWait(Duration.ofMillis(50));
    poll.request("ns", brief, taking(new AtomicInteger(), new AtomicInteger()));
    poll.request("ns", brief, taking(new AtomicInteger(), new AtomicInteger()));
    assertThat(started).hasValue(1);
  }
}
