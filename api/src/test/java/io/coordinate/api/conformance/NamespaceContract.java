package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupport.addUnit;
import static io.coordinate.api.conformance.KitSupport.assertGone;
import static io.coordinate.api.conformance.KitSupport.key;
import static io.coordinate.api.conformance.KitSupport.leaseOne;
import static io.coordinate.api.conformance.KitSupport.map;
import static io.coordinate.api.conformance.KitSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Namespaces (SPEC §2): get-or-create by name, sorted listing, destruction with everything in it
 * (old handles then raise {@link io.coordinate.api.GoneException}), re-creation, isolation, and the
 * namespace-level operations on work specs and workers.
 */
public interface NamespaceContract extends KitFixture {

  // ---------------------------------------------------------------- get-or-create and listing

  @Test
  default void namespaceGetOrCreateGivesTheSameNamespace() {
    Namespace first = coordinate().namespace("shared");
    spec(first, "s");
    Namespace again = coordinate().namespace("shared");
    assertThat(again.name()).isEqualTo("shared");
    assertThat(again.workSpecNames()).containsExactly("s");
    assertThat(coordinate().namespaceNames()).containsOnlyOnce("shared");
  }

  @Test
  default void namespaceEmptyNameIsTheDefaultNamespace() {
    Namespace dflt = coordinate().namespace("");
    assertThat(dflt.name()).isEmpty();
    spec(dflt, "s");
    assertThat(coordinate().namespaceNames()).contains("");
    assertThat(coordinate().namespace("").workSpecNames()).containsExactly("s");
  }

  @Test
  default void namespaceNamesAreSorted() {
    for (String name : List.of("zeta", "Alpha", "", "beta", "é", "b")) {
      coordinate().namespace(name);
    }
    // "kit" is the fixture's own namespace.
    assertThat(coordinate().namespaceNames())
        .containsExactly("", "Alpha", "b", "beta", "kit", "zeta", "é");
  }

  @Test
  default void namespaceNewIsEmpty() {
    Namespace fresh = coordinate().namespace("fresh");
    assertThat(fresh.workSpecNames()).isEmpty();
    assertThat(fresh.workers()).isEmpty();
  }

  @Test
  default void namespaceSameStoreSeesTheSameData() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    Namespace other = sameStore().namespace(namespace().name());
    assertThat(other.workSpecNames()).containsExactly("s");
    assertThat(other.workSpec("s").workUnits(WorkUnitQuery.all())).hasSize(1);
  }

  // ---------------------------------------------------------------- specs through the namespace

  @Test
  default void namespaceWorkSpecNamesAreSorted() {
    for (String name : List.of("m", "B", "a", "zz", "a1", "ü")) {
      spec(namespace(), name);
    }
    assertThat(namespace().workSpecNames()).containsExactly("B", "a", "a1", "m", "zz", "ü");
  }

  @Test
  default void namespaceWorkSpecLookupSeesTheSameSpec() {
    WorkSpec created = spec(namespace(), "s", "priority", 3);
    addUnit(created, "a");
    WorkSpec found = namespace().workSpec("s");
    assertThat(found.name()).isEqualTo("s");
    assertThat(found.meta(false).priority()).isEqualTo(3);
    assertThat(found.workUnit(key("a")).key()).isEqualTo(key("a"));
    addUnit(found, "b");
    assertThat(created.countWorkUnitStatus().total()).isEqualTo(2);
    assertThat(found.namespace().name()).isEqualTo(namespace().name());
  }

  @Test
  default void namespaceWorkSpecMissingThrowsNoSuchWorkSpec() {
    spec(namespace(), "present");
    assertThatThrownBy(() -> namespace().workSpec("absent"))
        .isInstanceOfSatisfying(
            NoSuchWorkSpecException.class, e -> assertThat(e.workSpecName()).isEqualTo("absent"));
    assertThat(namespace().workSpecNames()).containsExactly("present");
  }

  @Test
  default void namespaceDestroyWorkSpecRemovesOnlyThatSpec() {
    WorkSpec a = spec(namespace(), "a");
    WorkSpec b = spec(namespace(), "b");
    addUnit(a, "x");
    addUnit(b, "x");
    namespace().destroyWorkSpec("a");
    assertThat(namespace().workSpecNames()).containsExactly("b");
    assertThatThrownBy(() -> namespace().workSpec("a")).isInstanceOf(NoSuchWorkSpecException.class);
    assertThat(b.workUnits(WorkUnitQuery.all())).hasSize(1);
    assertThat(namespace().workSpec("b").workUnit(key("x")).status())
        .isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void namespaceDestroyWorkSpecMissingThrowsAndChangesNothing() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    assertThatThrownBy(() -> namespace().destroyWorkSpec("nope"))
        .isInstanceOfSatisfying(
            NoSuchWorkSpecException.class, e -> assertThat(e.workSpecName()).isEqualTo("nope"));
    assertThat(namespace().workSpecNames()).containsExactly("s");
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void namespaceDestroyWorkSpecTwiceThrowsNoSuchWorkSpec() {
    spec(namespace(), "s");
    namespace().destroyWorkSpec("s");
    assertThatThrownBy(() -> namespace().destroyWorkSpec("s"))
        .isInstanceOf(NoSuchWorkSpecException.class);
    assertThat(namespace().workSpecNames()).isEmpty();
  }

  // ---------------------------------------------------------------- workers through the namespace

  @Test
  default void namespaceWorkerIsCreatedWithDefaults() {
    Worker w = namespace().worker("w1");
    assertThat(w.name()).isEqualTo("w1");
    assertThat(w.isActive()).isTrue();
    assertThat(w.parent()).isEmpty();
    assertThat(w.mode()).isEmpty();
    assertThat(w.data()).isEmpty();
    assertThat(w.activeAttempts()).isEmpty();
    assertThat(w.allAttempts()).isEmpty();
    assertThat(w.namespace().name()).isEqualTo(namespace().name());
  }

  @Test
  default void namespaceWorkerGetOrCreateGivesTheSameWorker() {
    namespace().worker("w").heartbeat("run", Map.of("host", "h1"), Duration.ofMinutes(5));
    Worker again = namespace().worker("w");
    assertThat(again.mode()).isEqualTo("run");
    assertThat(again.data()).isEqualTo(Map.of("host", "h1"));
    assertThat(namespace().workers()).hasSize(1);
  }

  @Test
  default void namespaceWorkersAreSortedAndIncludeInactiveOnes() {
    for (String name : List.of("c", "a", "B", "b")) {
      namespace().worker(name);
    }
    namespace().worker("b").deactivate();
    assertThat(namespace().workers()).extracting(Worker::name).containsExactly("B", "a", "b", "c");
  }

  // ---------------------------------------------------------------- destroy

  @Test
  default void namespaceDestroyRemovesItFromTheNames() {
    coordinate().namespace("doomed");
    coordinate().namespace("kept");
    coordinate().namespace("doomed").destroy();
    assertThat(coordinate().namespaceNames()).contains("kept", "kit").doesNotContain("doomed");
  }

  @Test
  default void namespaceDestroyedHandleIsGone() {
    Namespace ns = coordinate().namespace("doomed");
    spec(ns, "s");
    ns.worker("w");
    ns.destroy();
    assertGone(
        "a destroyed namespace",
        ns::workSpecNames,
        () -> ns.workSpec("s"),
        () -> ns.setWorkSpec(map("name", "t")),
        () -> ns.destroyWorkSpec("s"),
        () -> ns.worker("w"),
        ns::workers);
  }

  @Test
  default void namespaceDestroyedSpecsAndUnitsAreGone() {
    Namespace ns = coordinate().namespace("doomed");
    WorkSpec s = spec(ns, "s");
    WorkUnit u = addUnit(s, "a");
    WorkSpecMeta meta = s.meta(false);
    ns.destroy();
    assertGone(
        "a work spec of a destroyed namespace",
        () -> s.meta(true),
        () -> s.setMeta(meta.withPriority(5)),
        () -> s.addWorkUnit(key("b"), Map.of(), WorkUnitMeta.DEFAULT),
        () -> s.workUnit(key("a")),
        () -> s.workUnits(WorkUnitQuery.all()),
        s::countWorkUnitStatus,
        () -> s.deleteWorkUnits(WorkUnitQuery.all()));
    assertGone(
        "a work unit of a destroyed namespace",
        u::status,
        u::data,
        u::meta,
        u::activeAttempt,
        u::attempts,
        () -> u.setPriority(4));
  }

  @Test
  default void namespaceDestroyedWorkersAndAttemptsAreGone() {
    Namespace ns = coordinate().namespace("doomed");
    addUnit(spec(ns, "s"), "a");
    addUnit(ns.workSpec("s"), "b");
    Worker w = ns.worker("w");
    Attempt attempt = leaseOne(w);
    ns.destroy();
    assertGone(
        "a worker of a destroyed namespace",
        w::activeAttempts,
        w::allAttempts,
        () -> w.requestAttempts(AttemptRequest.one()),
        () -> w.heartbeat("m", Map.of(), Duration.ofMinutes(1)));
    assertGone(
        "an attempt of a destroyed namespace",
        attempt::status,
        attempt::data,
        () -> attempt.finish(null));
  }

  @Test
  default void namespaceRecreatedAfterDestroyIsNewAndEmpty() {
    Namespace old = coordinate().namespace("phoenix");
    WorkSpec oldSpec = spec(old, "s");
    addUnit(oldSpec, "a");
    old.worker("w");
    old.destroy();

    Namespace fresh = coordinate().namespace("phoenix");
    assertThat(coordinate().namespaceNames()).containsOnlyOnce("phoenix");
    assertThat(fresh.workSpecNames()).isEmpty();
    assertThat(fresh.workers()).isEmpty();

    // A spec of the same name in the new namespace does not revive the old handles.
    WorkSpec newSpec = spec(fresh, "s");
    assertThat(newSpec.countWorkUnitStatus().total()).isZero();
    if (handlesFollowNames()) {
      assertThat(old.workSpecNames()).containsExactly("s");
      assertThat(oldSpec.countWorkUnitStatus().total()).isZero();
    } else {
      assertGone(
          "handles of the destroyed namespace", old::workSpecNames, oldSpec::countWorkUnitStatus);
    }
  }

  @Test
  default void namespaceDestroyingTheFixtureNamespaceKeepsOthers() {
    Namespace other = coordinate().namespace("other");
    addUnit(spec(other, "s"), "a");
    addUnit(spec(namespace(), "s"), "a");
    String kitName = namespace().name();
    namespace().destroy();
    assertThat(coordinate().namespaceNames()).contains("other").doesNotContain(kitName);
    assertThat(other.workSpec("s").countWorkUnitStatus().total()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- isolation

  @Test
  default void namespaceSpecsWithTheSameNameAreIndependent() {
    Namespace a = coordinate().namespace("a");
    Namespace b = coordinate().namespace("b");
    WorkSpec sa = spec(a, "s", "priority", 1);
    WorkSpec sb = spec(b, "s", "priority", 2);
    addUnit(sa, "only-in-a");
    addUnit(sb, "only-in-b", Map.of("v", 2L));

    assertThat(a.workSpec("s").meta(false).priority()).isEqualTo(1);
    assertThat(b.workSpec("s").meta(false).priority()).isEqualTo(2);
    assertThat(KitSupport.keyNames(sa, WorkUnitQuery.all())).containsExactly("only-in-a");
    assertThat(KitSupport.keyNames(sb, WorkUnitQuery.all())).containsExactly("only-in-b");

    sa.deleteWorkUnits(WorkUnitQuery.all());
    assertThat(sb.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void namespaceDestroyingOneSpecLeavesTheSameNameElsewhere() {
    Namespace a = coordinate().namespace("a");
    Namespace b = coordinate().namespace("b");
    spec(a, "s");
    addUnit(spec(b, "s"), "x");
    a.destroyWorkSpec("s");
    assertThat(a.workSpecNames()).isEmpty();
    assertThat(b.workSpecNames()).containsExactly("s");
    assertThat(b.workSpec("s").workUnit(key("x")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void namespaceWorkersAreIndependent() {
    Namespace a = coordinate().namespace("a");
    Namespace b = coordinate().namespace("b");
    a.worker("w").heartbeat("in-a", Map.of(), Duration.ofMinutes(5));
    assertThat(b.workers()).isEmpty();
    Worker wb = b.worker("w");
    assertThat(wb.mode()).isEmpty();
    assertThat(a.worker("w").mode()).isEqualTo("in-a");
  }

  @Test
  default void namespaceWorkersOnlyGetWorkFromTheirNamespace() {
    Namespace a = coordinate().namespace("a");
    Namespace b = coordinate().namespace("b");
    addUnit(spec(a, "s"), "x");
    spec(b, "s");
    assertThat(b.worker("w").requestAttempts(AttemptRequest.of(10))).isEmpty();
    Attempt got = leaseOne(a.worker("w"));
    assertThat(got.workUnit().key()).isEqualTo(key("x"));
    assertThat(a.workSpec("s").workUnit(key("x")).status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(b.worker("w").activeAttempts()).isEmpty();
  }
}
