package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.keysOf;
import static io.coordinate.api.conformance.KitSupportB.leaseOne;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static io.coordinate.api.conformance.KitSupportB.units;
import static io.coordinate.api.conformance.KitSupportB.workersOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Scheduling ({@code requestAttempts}, SPEC §3): which spec serves a request (priority, weight,
 * paused, max_running, filters), how many and which of its units (max_getwork, max_running,
 * priority then key order, delays), the lease, and max_retries.
 */
public interface SchedulingContract extends KitFixture {

  private Worker worker() {
    return namespace().worker("w");
  }

  /** The names of the specs of these attempts, in list order. */
  private static List<String> specsOf(List<Attempt> attempts) {
    return attempts.stream().map(a -> a.workUnit().workSpec().name()).toList();
  }

  // ---- nothing to do ----

  @Test
  default void schedulingEmptyWhenThereAreNoSpecs() {
    assertThat(worker().requestAttempts(AttemptRequest.of(5))).isEmpty();
  }

  @Test
  default void schedulingEmptyWhenNoUnitIsAvailable() {
    WorkSpec spec = spec(namespace(), "a");
    spec(namespace(), "empty");
    unit(spec, "done");
    unit(spec, "bad");
    unit(spec, "busy");
    Worker w = worker();
    w.makeAttempt(spec.workUnit(key("done")), LEASE).finish(null);
    w.makeAttempt(spec.workUnit(key("bad")), LEASE).fail(null);
    w.makeAttempt(spec.workUnit(key("busy")), LEASE);

    assertThat(w.requestAttempts(AttemptRequest.of(10))).isEmpty();
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.PENDING)).isEqualTo(1);
  }

  // ---- choosing the spec ----

  @Test
  default void schedulingPriorityIsAbsolute() {
    WorkSpec hi = spec(namespace(), "hi", "priority", 1, "weight", 1);
    WorkSpec lo = spec(namespace(), "lo", "priority", 0, "weight", 1000);
    units(hi, "h", 5);
    units(lo, "l", 5);
    Worker w = worker();
    for (int i = 0; i < 5; i++) {
      assertThat(specsOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("hi");
    }
    assertThat(specsOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("lo");
  }

  @Test
  default void schedulingSetMetaPriorityChangesTheChosenSpec() {
    WorkSpec a = spec(namespace(), "a");
    WorkSpec b = spec(namespace(), "b");
    units(a, "a", 3);
    units(b, "b", 3);
    b.setMeta(b.meta(false).withPriority(10));
    assertThat(specsOf(worker().requestAttempts(AttemptRequest.one()))).containsExactly("b");
    a.setMeta(a.meta(false).withPriority(20));
    assertThat(specsOf(worker().requestAttempts(AttemptRequest.one()))).containsExactly("a");
  }

  @Test
  default void schedulingHigherPrioritySpecAtMaxRunningYieldsToLowerOne() {
    WorkSpec hi = spec(namespace(), "hi", "priority", 5, "max_running", 1);
    WorkSpec lo = spec(namespace(), "lo");
    units(hi, "h", 3);
    units(lo, "l", 3);
    Worker w = worker();
    assertThat(specsOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("hi");
    assertThat(specsOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("lo");
  }

  @Test
  default void schedulingHigherPrioritySpecWithOnlyDelayedUnitsYieldsToLowerOne() {
    WorkSpec hi = spec(namespace(), "hi", "priority", 5);
    WorkSpec lo = spec(namespace(), "lo");
    hi.addWorkUnit(
        key("later"), Map.of(), WorkUnitMeta.DEFAULT.withNotBefore(
            MutableClock.START.plus(Duration.ofHours(1))));
    unit(lo, "now");
    Worker w = worker();
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("now");
    clock().advance(Duration.ofHours(2));
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("later");
  }

  @Test
  default void schedulingWeightsShareThePendingUnits() {
    WorkSpec light = spec(namespace(), "light", "weight", 1);
    WorkSpec heavy = spec(namespace(), "heavy", "weight", 3);
    units(light, "l", 500);
    units(heavy, "h", 500);
    Worker w = worker();
    Map<String, Integer> leased = new HashMap<>();
    for (int i = 0; i < 400; i++) {
      for (String s : specsOf(w.requestAttempts(AttemptRequest.one()))) {
        leased.merge(s, 1, Integer::sum);
      }
    }
    long lightPending = light.meta(true).pendingCount();
    long heavyPending = heavy.meta(true).pendingCount();
    assertThat(lightPending + heavyPending).isEqualTo(400);
    assertThat(leased).containsEntry("light", (int) lightPending);
    // Expected 100 vs 300; the spread allowed is far wider than the draw's.
    assertThat(lightPending).isBetween(70L, 130L);
    assertThat(heavyPending).isBetween(270L, 330L);
  }

  @Test
  default void schedulingWeightZeroIsSkipped() {
    WorkSpec zero = spec(namespace(), "zero", "priority", 10);
    WorkSpec other = spec(namespace(), "other");
    units(zero, "z", 3);
    units(other, "o", 3);
    zero.setMeta(zero.meta(false).withWeight(0));
    Worker w = worker();
    assertThat(specsOf(w.requestAttempts(AttemptRequest.of(10))))
        .containsOnly("other")
        .hasSize(3);
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    zero.setMeta(zero.meta(false).withWeight(1));
    assertThat(specsOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("zero");
  }

  @Test
  default void schedulingPausedSpecIsSkipped() {
    WorkSpec off = spec(namespace(), "off", "disabled", true);
    units(off, "o", 2);
    Worker w = worker();
    assertThat(off.meta(false).paused()).isTrue();
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    off.setMeta(off.meta(false).withPaused(false));
    assertThat(specsOf(w.requestAttempts(AttemptRequest.one()))).containsExactly("off");
    off.setMeta(off.meta(false).withPaused(true));
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    assertThat(off.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(1);
  }

  @Test
  default void schedulingPausedSpecStillAcceptsCompletions() {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 2);
    Attempt a = leaseOne(worker(), "a");
    spec.setMeta(spec.meta(false).withPaused(true));
    a.finish(null);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(worker().requestAttempts(AttemptRequest.one())).isEmpty();
  }

  // ---- how many units ----

  @Test
  default void schedulingMaxRunningCapsABatch() {
    WorkSpec spec = spec(namespace(), "a", "max_running", 3);
    units(spec, "u", 10);
    Worker w = worker();
    assertThat(w.requestAttempts(AttemptRequest.of(10))).hasSize(3);
    assertThat(namespace().worker("w2").requestAttempts(AttemptRequest.of(10))).isEmpty();
    assertThat(spec.meta(true).pendingCount()).isEqualTo(3);
  }

  @Test
  default void schedulingMaxRunningCountsRealPendingUnits() {
    WorkSpec spec = spec(namespace(), "a", "max_running", 2);
    units(spec, "u", 10);
    Worker w = worker();
    List<Attempt> first = w.requestAttempts(AttemptRequest.of(5).withLifetime(Duration.ofMinutes(1)));
    assertThat(first).hasSize(2);
    first.get(0).finish(null);
    assertThat(w.requestAttempts(from("a", 5))).hasSize(1);
    assertThat(w.requestAttempts(from("a", 5))).isEmpty();
    // The other lease of the first batch runs out: its slot is free again.
    clock().advance(Duration.ofMinutes(2));
    assertThat(w.requestAttempts(from("a", 5))).hasSize(1);
    assertThat(spec.meta(true).pendingCount()).isEqualTo(2);
  }

  @Test
  default void schedulingMaxRunningCountsForcedAttempts() {
    WorkSpec spec = spec(namespace(), "a", "max_running", 2);
    units(spec, "u", 5);
    Worker w = worker();
    w.makeAttempt(spec.workUnit(key("u00004")), LEASE);
    assertThat(w.requestAttempts(from("a", 5))).hasSize(1);
    assertThat(w.requestAttempts(from("a", 5))).isEmpty();
  }

  @Test
  default void schedulingMaxGetworkCapsABatch() {
    WorkSpec spec = spec(namespace(), "a", "max_getwork", 2);
    units(spec, "u", 10);
    Worker w = worker();
    assertThat(keysOf(w.requestAttempts(AttemptRequest.of(5))))
        .containsExactly("u00000", "u00001");
    spec.setMeta(spec.meta(false).withMaxAttemptsReturned(4));
    assertThat(w.requestAttempts(AttemptRequest.of(5))).hasSize(4);
    spec.setMeta(spec.meta(false).withMaxAttemptsReturned(0));
    assertThat(w.requestAttempts(AttemptRequest.of(5))).hasSize(4);
  }

  @Test
  default void schedulingBatchComesFromOneSpec() {
    WorkSpec a = spec(namespace(), "a");
    WorkSpec b = spec(namespace(), "b");
    units(a, "a", 3);
    units(b, "b", 3);
    List<Attempt> got = worker().requestAttempts(AttemptRequest.of(10));
    assertThat(got).hasSize(3);
    assertThat(Set.copyOf(specsOf(got))).hasSize(1);
  }

  @Test
  default void schedulingBatchIsInPriorityThenKeyOrder() {
    WorkSpec spec = spec(namespace(), "a");
    unit(spec, "a", 0);
    unit(spec, "b", 5);
    unit(spec, "c", 5);
    unit(spec, "d", 1);
    unit(spec, "e", 0);
    unit(spec, "f", -1);
    Worker w = worker();
    assertThat(keysOf(w.requestAttempts(AttemptRequest.of(3)))).containsExactly("b", "c", "d");
    assertThat(keysOf(w.requestAttempts(AttemptRequest.of(10)))).containsExactly("a", "e", "f");
  }

  @Test
  default void schedulingUnitPriorityChangesTheOrder() {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 5);
    spec.setWorkUnitPriorities(WorkUnitQuery.keys(key("u00003")), 10);
    spec.workUnit(key("u00004")).setPriority(5);
    assertThat(keysOf(worker().requestAttempts(AttemptRequest.of(3))))
        .containsExactly("u00003", "u00004", "u00000");
  }

  @Test
  default void schedulingKeysOrderUnsignedByteWise() {
    WorkSpec spec = spec(namespace(), "a");
    spec.addWorkUnit(WorkUnitKey.of(new byte[] {(byte) 0x80}), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of(new byte[] {0x7f}), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of(new byte[] {(byte) 0xff, 0}), Map.of(), WorkUnitMeta.DEFAULT);
    List<Attempt> got = worker().requestAttempts(AttemptRequest.of(3));
    assertThat(got.stream().map(a -> a.workUnit().key()))
        .containsExactly(
            WorkUnitKey.of(new byte[] {0x7f}),
            WorkUnitKey.of(new byte[] {(byte) 0x80}),
            WorkUnitKey.of(new byte[] {(byte) 0xff, 0}));
  }

  @Test
  default void schedulingBatchSmallerWhenFewerUnitsAvailable() {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 2);
    assertThat(worker().requestAttempts(AttemptRequest.of(50))).hasSize(2);
    assertThat(spec.meta(true).availableCount()).isZero();
  }

  @Test
  default void schedulingDelayedUnitsAreSkipped() {
    WorkSpec spec = spec(namespace(), "a");
    spec.addWorkUnit(
        key("a-late"),
        Map.of(),
        new WorkUnitMeta(100, MutableClock.START.plus(Duration.ofMinutes(30))));
    unit(spec, "b-now");
    Worker w = worker();
    List<Attempt> now = w.requestAttempts(AttemptRequest.of(5));
    assertThat(keysOf(now)).containsExactly("b-now");
    assertThat(w.requestAttempts(AttemptRequest.of(5))).isEmpty();
    now.get(0).finish(null);
    clock().advance(Duration.ofMinutes(31));
    assertThat(keysOf(w.requestAttempts(AttemptRequest.of(5)))).containsExactly("a-late");
  }

  // ---- filters ----

  @Test
  default void schedulingWorkSpecsFilterIgnoresUnknownNames() {
    WorkSpec a = spec(namespace(), "a", "priority", 10);
    WorkSpec b = spec(namespace(), "b");
    units(a, "a", 2);
    units(b, "b", 2);
    Worker w = worker();
    List<Attempt> got =
        w.requestAttempts(AttemptRequest.of(5).withWorkSpecs("no-such-spec", "b"));
    assertThat(specsOf(got)).containsExactly("b", "b");
    assertThat(w.requestAttempts(AttemptRequest.of(5).withWorkSpecs("b"))).isEmpty();
    assertThat(w.requestAttempts(AttemptRequest.of(5).withWorkSpecs("no-such-spec"))).isEmpty();
    assertThat(a.meta(true).availableCount()).isEqualTo(2);
  }

  @Test
  default void schedulingRuntimesFilter() {
    WorkSpec go = spec(namespace(), "go", "runtime", "go", "priority", 10);
    WorkSpec py = spec(namespace(), "py");
    units(go, "g", 2);
    units(py, "p", 2);
    Worker w = worker();
    assertThat(go.meta(false).runtime()).isEqualTo("go");
    assertThat(specsOf(w.requestAttempts(AttemptRequest.of(5).withRuntimes(""))))
        .containsExactly("py", "py");
    assertThat(w.requestAttempts(AttemptRequest.of(5).withRuntimes("java"))).isEmpty();
    assertThat(specsOf(w.requestAttempts(AttemptRequest.of(5).withRuntimes("java", "go"))))
        .containsExactly("go", "go");
  }

  @Test
  default void schedulingAvailableGbDoesNotFilter() {
    WorkSpec big = spec(namespace(), "big", "min_gb", 8);
    units(big, "u", 1);
    assertThat(big.meta(false).minMemoryGb()).isEqualTo(8.0);
    List<Attempt> got = worker().requestAttempts(AttemptRequest.one().withAvailableGb(0.5));
    assertThat(specsOf(got)).containsExactly("big");
  }

  // ---- the lease ----

  @Test
  default void schedulingLeaseHonorsRequestedLifetime() {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 2);
    Worker w = worker();
    Attempt shortLease =
        w.requestAttempts(AttemptRequest.one().withLifetime(Duration.ofSeconds(30))).get(0);
    Attempt defaultLease = w.requestAttempts(AttemptRequest.one()).get(0);
    assertThat(shortLease.expirationTime()).isEqualTo(MutableClock.START.plusSeconds(30));
    assertThat(defaultLease.expirationTime())
        .isEqualTo(MutableClock.START.plus(AttemptRequest.DEFAULT_LIFETIME));
    clock().advance(Duration.ofSeconds(31));
    assertThat(shortLease.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(defaultLease.status()).isEqualTo(AttemptStatus.PENDING);
  }

  @Test
  default void schedulingBatchAttemptsShareWorkerAndTimes() {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 3);
    List<Attempt> got = worker().requestAttempts(from("a", 3));
    assertThat(workersOf(got)).containsOnly("w");
    assertThat(got).allSatisfy(a -> {
      assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
      assertThat(a.startTime()).isEqualTo(MutableClock.START);
      assertThat(a.expirationTime()).isEqualTo(MutableClock.START.plus(LEASE));
    });
    assertThat(keysOf(worker().activeAttempts())).containsExactly("u00000", "u00001", "u00002");
  }

  // ---- max_retries ----

  @Test
  default void schedulingMaxRetriesFailsAnExhaustedUnit() {
    WorkSpec spec = spec(namespace(), "a", "max_retries", 2);
    WorkUnit u = unit(spec, "u");
    Worker w = worker();
    leaseOne(w, "a").expire(null);
    leaseOne(w, "a").retry(null, null);

    assertThat(w.requestAttempts(AttemptRequest.of(3))).isEmpty();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.FAILED);
    assertThat(u.data()).containsEntry("traceback", "too many retries");
    List<Attempt> history = u.attempts();
    assertThat(history).hasSize(3);
    assertThat(history.get(2).status()).isEqualTo(AttemptStatus.FAILED);
    assertThat(history.get(2).data()).containsEntry("traceback", "too many retries");
    assertThat(spec.meta(true).pendingCount()).isZero();
  }

  @Test
  default void schedulingMaxRetriesKeepsFillingTheRequest() {
    WorkSpec spec = spec(namespace(), "a", "max_retries", 1);
    units(spec, "u", 3);
    Worker w = worker();
    leaseOne(w, "a").expire(null); // u00000 has used its one attempt

    assertThat(keysOf(w.requestAttempts(AttemptRequest.of(2))))
        .containsExactly("u00001", "u00002");
    assertThat(spec.workUnit(key("u00000")).status()).isEqualTo(WorkUnitStatus.FAILED);
  }

  @Test
  default void schedulingMaxRetriesAllowsExactlyThatManyAttempts() {
    WorkSpec spec = spec(namespace(), "a", "max_retries", 3);
    WorkUnit u = unit(spec, "u");
    Worker w = worker();
    for (int i = 0; i < 3; i++) {
      leaseOne(w, "a").retry(null, null);
    }
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.FAILED);
  }

  @Test
  default void schedulingMaxRetriesZeroIsUnlimited() {
    WorkSpec spec = spec(namespace(), "a");
    WorkUnit u = unit(spec, "u");
    Worker w = worker();
    for (int i = 0; i < 8; i++) {
      leaseOne(w, "a").expire(null);
    }
    assertThat(u.attempts()).hasSize(8);
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void schedulingSpreadsWorkAcrossManyRequests() {
    WorkSpec spec = spec(namespace(), "a");
    units(spec, "u", 20);
    Map<String, Long> perWorker =
        IntStream.range(0, 20)
            .mapToObj(i -> namespace().worker("w" + (i % 4)))
            .flatMap(w -> w.requestAttempts(AttemptRequest.one()).stream())
            .collect(Collectors.groupingBy(a -> a.worker().name(), Collectors.counting()));
    assertThat(perWorker).containsOnlyKeys("w0", "w1", "w2", "w3");
    assertThat(perWorker.values()).containsOnly(5L);
    assertThat(spec.meta(true).pendingCount()).isEqualTo(20);
  }
}
