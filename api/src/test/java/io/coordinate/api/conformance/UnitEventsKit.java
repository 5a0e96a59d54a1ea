package io.coordinate.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.UnitEvents.Transition;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.Worker;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a backend tells its {@link UnitEvents}: each transition once, per namespace and work spec,
 * with expiry driven by the clock alone. A backend runs it by extending this class:
 *
 * <pre>{@code
 * class MemoryUnitEventsTest extends UnitEventsKit {
 *   protected Coordinate newCoordinate(Clock clock, UnitEvents events) {
 *     return MemoryCoordinate.create(clock, events);
 *   }
 * }
 * }</pre>
 */
public abstract class UnitEventsKit {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  private MutableClock clock;
  private RecordingUnitEvents events;
  private Coordinate coordinate;
  private Namespace namespace;

  /** A new, empty backend on {@code clock} that tells {@code events}. */
  protected abstract Coordinate newCoordinate(Clock clock, UnitEvents events);

  @BeforeEach
  final void openBackend() {
    clock = new MutableClock();
    events = new RecordingUnitEvents();
    coordinate = newCoordinate(clock, events);
    namespace = coordinate.namespace("events");
  }

  @AfterEach
  final void closeBackend() {
    if (coordinate != null) { // null when the backend could not be opened (a skipped store)
      coordinate.close();
    }
  }

  // ---- helpers ----

  private WorkSpec spec(String name, String... keys) {
    return spec(namespace, Map.of("name", name), keys);
  }

  private static WorkSpec spec(Namespace ns, Map<String, ?> definition, String... keys) {
    WorkSpec spec = ns.setWorkSpec(definition);
    for (String key : keys) {
      spec.addWorkUnit(WorkUnitKey.of(key), Map.of("key", key), null);
    }
    return spec;
  }

  private static List<Attempt> lease(Worker worker, String spec, int n, Duration lifetime) {
    List<Attempt> leased =
        worker.requestAttempts(
            AttemptRequest.of(n).withWorkSpecs(spec).withLifetime(lifetime));
    assertThat(leased).as("units leased from %s", spec).hasSize(n);
    return leased;
  }

  private static List<Attempt> lease(Worker worker, String spec, int n) {
    return lease(worker, spec, n, AttemptRequest.DEFAULT_LIFETIME);
  }

  private static Map<Transition, Long> counts(
      long leased, long finished, long failed, long retried, long expired) {
    Map<Transition, Long> expected = new EnumMap<>(Transition.class);
    expected.put(Transition.LEASED, leased);
    expected.put(Transition.FINISHED, finished);
    expected.put(Transition.FAILED, failed);
    expected.put(Transition.RETRIED, retried);
    expected.put(Transition.EXPIRED, expired);
    return expected;
  }

  private void assertCounts(
      Namespace ns,
      String spec,
      long leased,
      long finished,
      long failed,
      long retried,
      long expired) {
    Map<Transition, Long> told = events.countsOf(ns.name(), spec);
    told.remove(Transition.ADDED); // adds are asserted on their own
    assertThat(told)
        .as("transitions of %s/%s", ns.name(), spec)
        .isEqualTo(counts(leased, finished, failed, retried, expired));
  }

  private void assertCounts(
      String spec, long leased, long finished, long failed, long retried, long expired) {
    assertCounts(namespace, spec, leased, finished, failed, retried, expired);
  }

  // ---- the contract ----

  @Test
  void leasesAndResultsAreCountedPerNamespaceAndSpec() {
    spec("s", "s1", "s2", "s3", "s4", "s5");
    spec("t", "t1", "t2");
    Namespace other = coordinate.namespace("other");
    spec(other, Map.of("name", "s"), "o1");
    Worker w = namespace.worker("w");

    List<Attempt> fromS = lease(w, "s", 3);
    fromS.get(0).finish(null);
    fromS.get(1).fail(Map.of("traceback", "boom"));
    fromS.get(2).retry(null, null);
    for (Attempt a : lease(w, "t", 2)) {
      a.finish(Map.of("output", "done"));
    }
    lease(other.worker("w"), "s", 1).get(0).finish(null);

    assertCounts("s", 3, 1, 1, 1, 0);
    assertCounts("t", 2, 2, 0, 0, 0);
    assertCounts(other, "s", 1, 1, 0, 0, 0);
  }

  @Test
  void aLeaseThatRunsOutIsCountedExpiredOnce() {
    WorkSpec s = spec("s", "a", "b", "c");
    Worker w = namespace.worker("w");
    lease(w, "s", 2, MINUTE);
    assertCounts("s", 2, 0, 0, 0, 0);

    clock.advance(MINUTE.multipliedBy(2));
    // Any call that depends on expiry records it; asking again finds nothing new.
    s.countWorkUnitStatus();
    s.countWorkUnitStatus();
    assertCounts("s", 2, 0, 0, 0, 2);

    // The expired units are leased again: new leases, no new expiries.
    lease(w, "s", 3, MINUTE);
    assertCounts("s", 5, 0, 0, 0, 2);
  }

  @Test
  void anAttemptFinishedAfterItsLeaseRanOutCountsAsExpiredAndFinished() {
    spec("s", "a");
    Attempt a = lease(namespace.worker("w"), "s", 1, MINUTE).get(0);
    clock.advance(MINUTE.multipliedBy(2));

    a.finish(null); // the late worker still completes its unit: nobody took it over
    assertCounts("s", 1, 1, 0, 0, 1);
  }

  @Test
  void renewingALeaseThatRanOutCountsTheExpiryAndItCanExpireAgain() {
    WorkSpec s = spec("s", "a");
    Attempt a = lease(namespace.worker("w"), "s", 1, MINUTE).get(0);
    clock.advance(MINUTE.multipliedBy(2));

    a.renew(MINUTE.multipliedBy(5), null);
    assertCounts("s", 1, 0, 0, 0, 1);

    clock.advance(MINUTE.multipliedBy(10));
    s.countWorkUnitStatus();
    assertCounts("s", 1, 0, 0, 0, 2);
  }

  @Test
  void anExplicitExpireCountsOnce() {
    spec("s", "a");
    Attempt a = lease(namespace.worker("w"), "s", 1).get(0);

    a.expire(null);
    a.expire(null); // already expired: no effect
    assertCounts("s", 1, 0, 0, 0, 1);
  }

  @Test
  void givingBackALeaseThatRanOutCountsItOnce() {
    WorkSpec s = spec("s", "a");
    Attempt a = lease(namespace.worker("w"), "s", 1, MINUTE).get(0);
    clock.advance(MINUTE.multipliedBy(2));

    a.expire(null); // expired already: no effect, whoever records the expiry
    s.countWorkUnitStatus();
    assertCounts("s", 1, 0, 0, 0, 1);
  }

  @Test
  void aLeaseTakenAwayByReAddingForcingOrClearingCountsAsExpired() {
    WorkSpec s = spec("s", "a", "b");
    Worker w1 = namespace.worker("w1");
    Worker w2 = namespace.worker("w2");
    WorkUnit a = s.workUnit(WorkUnitKey.of("a"));
    WorkUnit b = s.workUnit(WorkUnitKey.of("b"));

    w1.makeAttempt(a, null);
    s.addWorkUnit(WorkUnitKey.of("a"), Map.of("again", true), null); // re-queued: lease lost
    assertCounts("s", 1, 0, 0, 0, 1);

    w1.makeAttempt(b, null);
    w2.makeAttempt(b, null); // forced: w1's pending lease is lost
    assertCounts("s", 3, 0, 0, 0, 2);

    b.clearActiveAttempt();
    assertCounts("s", 3, 0, 0, 0, 3);
  }

  @Test
  void aUnitOverItsRetryLimitCountsAsFailedButNotLeased() {
    spec(namespace, Map.of("name", "s", "max_retries", 1L), "a");
    Worker w = namespace.worker("w");
    lease(w, "s", 1).get(0).retry(null, null);

    List<Attempt> second =
        w.requestAttempts(AttemptRequest.of(1).withWorkSpecs("s"));
    assertThat(second).as("the unit is failed for too many retries, not handed out").isEmpty();
    assertCounts("s", 1, 0, 1, 1, 0);
  }

  @Test
  void aLateFinishAfterAFailCountsBoth() {
    spec("s", "a");
    Attempt a = lease(namespace.worker("w"), "s", 1).get(0);
    a.fail(null);
    a.finish(null);
    assertCounts("s", 1, 1, 1, 0, 0);
  }

  @Test
  void aRefusedTransitionCountsNothing() {
    spec("s", "a");
    Attempt a = lease(namespace.worker("w"), "s", 1).get(0);
    a.finish(null);

    assertThatThrownBy(() -> a.fail(null)).isInstanceOf(NotPendingException.class);
    assertThatThrownBy(() -> a.retry(null, null)).isInstanceOf(NotPendingException.class);
    assertThatThrownBy(() -> a.expire(null)).isInstanceOf(NotPendingException.class);
    assertCounts("s", 1, 1, 0, 0, 0);
  }

  @Test
  void deletingUnitsWithPendingLeasesCountsNothing() {
    WorkSpec s = spec("s", "a", "b");
    lease(namespace.worker("w"), "s", 2);
    s.deleteWorkUnits(WorkUnitQuery.all());
    namespace.destroyWorkSpec("s");
    assertCounts("s", 2, 0, 0, 0, 0);
  }

  @Test
  void addsReAddsAndChainedOutputsAreCountedAdded() {
    WorkSpec s = spec("s", "a", "b");
    assertThat(events.count("events", "s", Transition.ADDED)).isEqualTo(2);
    s.addWorkUnits(
        List.of(
            new io.coordinate.api.NewWorkUnit(WorkUnitKey.of("a"), Map.of(), null),
            new io.coordinate.api.NewWorkUnit(WorkUnitKey.of("c"), Map.of(), null)));
    assertThat(events.count("events", "s", Transition.ADDED)).as("a batch, re-add included")
        .isEqualTo(4);

    namespace.setWorkSpec(Map.of("name", "first", "then", "next"));
    namespace.setWorkSpec(Map.of("name", "next"));
    namespace.workSpec("first").addWorkUnit(WorkUnitKey.of("x"), Map.of(), null);
    Attempt a = lease(namespace.worker("w"), "first", 1).get(0);
    a.finish(Map.of("output", List.of("y1", "y2")));
    assertThat(events.count("events", "next", Transition.ADDED)).as("chained outputs")
        .isEqualTo(2);
    assertCounts("first", 1, 1, 0, 0, 0);
  }

  @Test
  void anAddThatFailsCountsNothingAdded() {
    WorkSpec s = spec("s");
    namespace.destroyWorkSpec("s");
    assertThatThrownBy(() -> s.addWorkUnit(WorkUnitKey.of("a"), Map.of(), null));
    assertThat(events.total(Transition.ADDED)).isZero();
  }
}
