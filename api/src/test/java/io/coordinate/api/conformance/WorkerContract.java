package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.keysOf;
import static io.coordinate.api.conformance.KitSupportB.leaseOne;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Workers: get-or-create by name, heartbeats and their lifetime, deactivation, the parent/child
 * tree, and the attempt lists a worker keeps (active, all, children's).
 */
public interface WorkerContract extends KitFixture {

  private static List<String> names(List<Worker> workers) {
    return workers.stream().map(Worker::name).toList();
  }

  private static Optional<String> parentName(Worker w) {
    return w.parent().map(Worker::name);
  }

  @Test
  default void workerNewIsActiveWithoutParentModeOrData() {
    Worker w = namespace().worker("w");
    assertThat(w.name()).isEqualTo("w");
    assertThat(w.namespace().name()).isEqualTo(namespace().name());
    assertThat(w.isActive()).isTrue();
    assertThat(w.parent()).isEmpty();
    assertThat(w.children()).isEmpty();
    assertThat(w.mode()).isEmpty();
    assertThat(w.data()).isEmpty();
    assertThat(w.lastUpdate()).isEqualTo(MutableClock.START);
    assertThat(w.activeAttempts()).isEmpty();
    assertThat(w.allAttempts()).isEmpty();
    assertThat(w.childAttempts()).isEmpty();
  }

  @Test
  default void workerGetOrCreateReturnsTheSameWorker() {
    Worker first = namespace().worker("w");
    first.heartbeat("run", Map.of("host", "h1"), Duration.ofMinutes(1));
    Worker again = namespace().worker("w");
    assertThat(again.name()).isEqualTo("w");
    assertThat(again.mode()).isEqualTo("run");
    assertThat(again.data()).isEqualTo(Map.of("host", "h1"));
    assertThat(names(namespace().workers())).containsExactly("w");
  }

  @Test
  default void workerHeartbeatRecordsModeDataAndTimes() {
    Worker w = namespace().worker("w");
    clock().advance(Duration.ofSeconds(10));
    w.heartbeat("idle", Map.of("host", "h1", "pid", 42), Duration.ofMinutes(2));

    assertThat(w.mode()).isEqualTo("idle");
    assertThat(w.data()).isEqualTo(Map.of("host", "h1", "pid", 42L));
    assertThat(w.lastUpdate()).isEqualTo(MutableClock.START.plusSeconds(10));
    assertThat(w.expiration()).isEqualTo(MutableClock.START.plusSeconds(130));
    assertThat(w.isActive()).isTrue();
    assertThatThrownBy(() -> w.data().put("x", 1L))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  default void workerHeartbeatReplacesModeAndData() {
    Worker w = namespace().worker("w");
    w.heartbeat("idle", Map.of("a", 1, "b", 2), Duration.ofMinutes(1));
    clock().advance(Duration.ofSeconds(30));
    w.heartbeat("run", Map.of("c", 3), Duration.ofMinutes(5));
    assertThat(w.mode()).isEqualTo("run");
    assertThat(w.data()).isEqualTo(Map.of("c", 3L));
    assertThat(w.lastUpdate()).isEqualTo(MutableClock.START.plusSeconds(30));
    assertThat(w.expiration()).isEqualTo(MutableClock.START.plusSeconds(330));
  }

  @Test
  default void workerInactiveOnceLifetimePasses() {
    Worker w = namespace().worker("w");
    w.heartbeat("run", Map.of(), Duration.ofMinutes(1));
    clock().advance(Duration.ofSeconds(59));
    assertThat(w.isActive()).isTrue();
    clock().advance(Duration.ofSeconds(2));
    assertThat(w.isActive()).isFalse();
    assertThat(namespace().worker("w").isActive()).isFalse();
    assertThat(names(namespace().workers())).containsExactly("w");
  }

  @Test
  default void workerHeartbeatReactivatesExpiredWorker() {
    Worker w = namespace().worker("w");
    w.heartbeat("run", Map.of(), Duration.ofMinutes(1));
    clock().advance(Duration.ofMinutes(5));
    assertThat(w.isActive()).isFalse();
    w.heartbeat("run", Map.of(), Duration.ofMinutes(1));
    assertThat(w.isActive()).isTrue();
    assertThat(w.expiration()).isEqualTo(MutableClock.START.plus(Duration.ofMinutes(6)));
  }

  @Test
  default void workerDeactivateMakesItInactiveUntilNextHeartbeat() {
    Worker w = namespace().worker("w");
    w.heartbeat("run", Map.of("k", "v"), Duration.ofHours(1));
    w.deactivate();
    assertThat(w.isActive()).isFalse();
    assertThat(namespace().worker("w").isActive()).isFalse();
    assertThat(w.data()).isEqualTo(Map.of("k", "v"));
    assertThat(names(namespace().workers())).containsExactly("w");
    w.heartbeat("run", Map.of(), Duration.ofHours(1));
    assertThat(w.isActive()).isTrue();
  }

  @Test
  default void workerChildrenAreSortedAndKnowTheirParent() {
    Worker p = namespace().worker("parent");
    Worker c2 = namespace().worker("child-2");
    Worker c1 = namespace().worker("child-1");
    c2.setParent(p);
    c1.setParent(p);

    assertThat(names(p.children())).containsExactly("child-1", "child-2");
    assertThat(parentName(c1)).contains("parent");
    assertThat(parentName(namespace().worker("child-2"))).contains("parent");
    assertThat(p.parent()).isEmpty();
    assertThat(c1.children()).isEmpty();
  }

  @Test
  default void workerReparentingMovesTheChild() {
    Worker p = namespace().worker("p");
    Worker q = namespace().worker("q");
    Worker c = namespace().worker("c");
    Worker d = namespace().worker("d");
    c.setParent(p);
    d.setParent(p);
    c.setParent(q);

    assertThat(names(p.children())).containsExactly("d");
    assertThat(names(q.children())).containsExactly("c");
    assertThat(parentName(c)).contains("q");
  }

  @Test
  default void workerClearingParentDetachesTheChild() {
    Worker p = namespace().worker("p");
    Worker c = namespace().worker("c");
    c.setParent(p);
    c.setParent(null);
    assertThat(c.parent()).isEmpty();
    assertThat(p.children()).isEmpty();
  }

  @Test
  default void workerChildAttemptsAreTheChildrensActiveAttempts() {
    WorkSpec spec = spec(namespace(), "a");
    for (String k : List.of("u1", "u2", "u3", "u4")) {
      unit(spec, k);
    }
    Worker p = namespace().worker("p");
    Worker c1 = namespace().worker("c1");
    Worker c2 = namespace().worker("c2");
    Worker grandchild = namespace().worker("g");
    c1.setParent(p);
    c2.setParent(p);
    grandchild.setParent(c1);
    Attempt a1 = leaseOne(c1, "a", Duration.ofMinutes(1));
    leaseOne(c2, "a", Duration.ofMinutes(10));
    leaseOne(p, "a");
    leaseOne(grandchild, "a");

    assertThat(keysOf(p.childAttempts())).containsExactlyInAnyOrder("u1", "u2");
    assertThat(keysOf(c1.childAttempts())).containsExactly("u4");
    assertThat(c2.childAttempts()).isEmpty();

    a1.finish(null);
    assertThat(keysOf(p.childAttempts())).containsExactly("u2");

    clock().advance(Duration.ofMinutes(11));
    assertThat(p.childAttempts()).isEmpty();
  }

  @Test
  default void workerActiveAttemptsHoldOnlyPendingOnes() {
    WorkSpec spec = spec(namespace(), "a");
    for (String k : List.of("u1", "u2", "u3", "u4", "u5")) {
      unit(spec, k);
    }
    Worker w = namespace().worker("w");
    List<Attempt> got = w.requestAttempts(from("a", 5));
    assertThat(keysOf(got)).containsExactly("u1", "u2", "u3", "u4", "u5");
    got.get(0).finish(null);
    got.get(1).fail(null);
    got.get(2).retry(null, null);
    got.get(3).expire(null);

    assertThat(keysOf(w.activeAttempts())).containsExactly("u5");
    assertThat(keysOf(w.allAttempts())).containsExactly("u1", "u2", "u3", "u4", "u5");
  }

  @Test
  default void workerAllAttemptsAreInCreationOrder() {
    WorkSpec spec = spec(namespace(), "a");
    Worker w = namespace().worker("w");
    for (String k : List.of("c", "a", "b")) {
      w.makeAttempt(unit(spec, k), LEASE).finish(null);
      clock().advance(Duration.ofSeconds(1));
    }
    assertThat(keysOf(w.allAttempts())).containsExactly("c", "a", "b");
    assertThat(w.activeAttempts()).isEmpty();
  }

  @Test
  default void workerAttemptsBelongToTheirWorkerOnly() {
    WorkSpec spec = spec(namespace(), "a");
    unit(spec, "u1");
    unit(spec, "u2");
    Worker w1 = namespace().worker("w1");
    Worker w2 = namespace().worker("w2");
    leaseOne(w1, "a");
    assertThat(keysOf(w1.activeAttempts())).containsExactly("u1");
    assertThat(w2.activeAttempts()).isEmpty();
    assertThat(w2.allAttempts()).isEmpty();
    leaseOne(w2, "a");
    assertThat(keysOf(w2.activeAttempts())).containsExactly("u2");
    assertThat(keysOf(w1.activeAttempts())).containsExactly("u1");
  }

  @Test
  default void workerListingIsSortedAndIncludesInactiveWorkers() {
    namespace().worker("bravo");
    namespace().worker("alpha").deactivate();
    namespace().worker("charlie").heartbeat("run", Map.of(), Duration.ofSeconds(1));
    clock().advance(Duration.ofMinutes(1));
    assertThat(names(namespace().workers())).containsExactly("alpha", "bravo", "charlie");
  }

  @Test
  default void workerNamesAreIsolatedBetweenNamespaces() {
    namespace().worker("w").heartbeat("run", Map.of("here", true), LEASE);
    Worker elsewhere = coordinate().namespace("kit-other").worker("w");
    assertThat(elsewhere.mode()).isEmpty();
    assertThat(elsewhere.data()).isEmpty();
    assertThat(names(coordinate().namespace("kit-other").workers())).containsExactly("w");
    assertThat(namespace().worker("w").mode()).isEqualTo("run");
  }

  @Test
  default void workerLeaseSurvivesWorkerExpiryButNotAttemptExpiry() {
    WorkSpec spec = spec(namespace(), "a");
    unit(spec, "u");
    Worker w = namespace().worker("w");
    w.heartbeat("run", Map.of(), Duration.ofMinutes(1));
    Attempt a = leaseOne(w, "a", Duration.ofMinutes(10));
    clock().advance(Duration.ofMinutes(2));
    // The worker's own lifetime and its attempts' leases are independent clocks.
    assertThat(w.isActive()).isFalse();
    assertThat(keysOf(w.activeAttempts())).containsExactly("u");
    assertThat(spec.workUnit(key("u")).activeAttempt()).isPresent();
    clock().advance(Duration.ofMinutes(9));
    assertThat(w.activeAttempts()).isEmpty();
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
  }
}
