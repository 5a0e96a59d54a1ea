package io.coordinate.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.GoneException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A cached handle means a name: after a delete and a re-create, done through the cache or behind
 * its back by another backend on the same data, the handle follows the new object; after a delete
 * alone it is gone, and a look-up by name answers not-found.
 */
class NameIdentityTest {
  @RegisterExtension final Stores stores = new Stores();

  /** Who deletes and re-creates: the cache itself, or another backend behind its back. */
  enum Via {
    CACHE,
    BEHIND
  }

  static Stream<Arguments> cases() {
    List<Arguments> cases = new ArrayList<>();
    for (Stores.Kind kind : Stores.Kind.values()) {
      for (Via via : Via.values()) {
        cases.add(Arguments.of(kind, via));
      }
    }
    return cases.stream();
  }

  private static final WorkUnitKey K = WorkUnitKey.of("k");

  private Coordinate changer(Stores.Opened o, Via via) {
    return via == Via.CACHE ? o.cached() : o.behind();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void aUnitHandleFollowsAUnitReCreatedUnderItsKey(Stores.Kind kind, Via via) {
    Stores.Opened o = stores.open(kind);
    WorkSpec spec = o.cached().namespace("n").setWorkSpec(Map.of("name", "s"));
    spec.addWorkUnit(K, Map.of("gen", 1L), WorkUnitMeta.DEFAULT);
    WorkUnit unit = spec.workUnit(K);
    assertThat(unit.data()).isEqualTo(Map.of("gen", 1L));

    WorkSpec other = changer(o, via).namespace("n").workSpec("s");
    other.deleteWorkUnits(WorkUnitQuery.keys(K));
    other.addWorkUnit(K, Map.of("gen", 2L), WorkUnitMeta.ofPriority(7));

    assertThat(unit.data()).isEqualTo(Map.of("gen", 2L));
    assertThat(unit.priority()).isEqualTo(7.0);
    unit.setPriority(3);
    assertThat(o.behind().namespace("n").workSpec("s").workUnit(K).priority()).isEqualTo(3.0);
    assertThat(spec.workUnit(K).data()).isEqualTo(Map.of("gen", 2L));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void aDeletedUnitIsGoneThenNotFound(Stores.Kind kind, Via via) {
    Stores.Opened o = stores.open(kind);
    WorkSpec spec = o.cached().namespace("n").setWorkSpec(Map.of("name", "s"));
    WorkUnit unit = spec.addWorkUnit(K, Map.of(), WorkUnitMeta.DEFAULT);
    changer(o, via).namespace("n").workSpec("s").deleteWorkUnits(WorkUnitQuery.keys(K));

    assertThatThrownBy(unit::data).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> spec.workUnit(K)).isInstanceOf(NoSuchWorkUnitException.class);
    assertThat(spec.workUnits(WorkUnitQuery.all())).isEmpty();
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void specHandlesFollowASpecReCreatedUnderItsName(Stores.Kind kind, Via via) {
    Stores.Opened o = stores.open(kind);
    Namespace ns = o.cached().namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s", "priority", 1));
    spec.addWorkUnit(K, Map.of("gen", 1L), WorkUnitMeta.DEFAULT);
    WorkUnit unit = spec.workUnit(K);

    Namespace other = changer(o, via).namespace("n");
    other.destroyWorkSpec("s");
    other.setWorkSpec(Map.of("name", "s", "priority", 5)).addWorkUnits(List.of());
    other.workSpec("s").addWorkUnit(K, Map.of("gen", 2L), WorkUnitMeta.DEFAULT);

    assertThat(spec.meta(false).priority()).isEqualTo(5);
    assertThat(unit.data()).isEqualTo(Map.of("gen", 2L));
    assertThat(ns.workSpec("s").countWorkUnitStatus().total()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void aDestroyedSpecIsGoneThenNotFound(Stores.Kind kind, Via via) {
    Stores.Opened o = stores.open(kind);
    Namespace ns = o.cached().namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    WorkUnit unit = spec.addWorkUnit(K, Map.of(), WorkUnitMeta.DEFAULT);
    changer(o, via).namespace("n").destroyWorkSpec("s");

    assertThatThrownBy(() -> spec.meta(false)).isInstanceOf(GoneException.class);
    assertThatThrownBy(unit::status).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> ns.workSpec("s")).isInstanceOf(NoSuchWorkSpecException.class);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void namespaceHandlesFollowANamespaceReCreatedUnderItsName(Stores.Kind kind, Via via) {
    Stores.Opened o = stores.open(kind);
    Namespace ns = o.cached().namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    WorkUnit unit = spec.addWorkUnit(K, Map.of("gen", 1L), WorkUnitMeta.DEFAULT);
    var worker = ns.worker("w");

    changer(o, via).namespace("n").destroy();
    Namespace again = o.behind().namespace("n");
    again.setWorkSpec(Map.of("name", "s")).addWorkUnit(K, Map.of("gen", 2L), WorkUnitMeta.DEFAULT);
    again.worker("w");

    assertThat(ns.workSpecNames()).containsExactly("s");
    assertThat(unit.data()).isEqualTo(Map.of("gen", 2L));
    List<Attempt> leased = worker.requestAttempts(AttemptRequest.one());
    assertThat(leased).hasSize(1);
    assertThat(leased.get(0).workUnit()).isEqualTo(unit);
    assertThat(leased.get(0).workUnit()).isSameAs(spec.workUnit(K));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void anAttemptOfADeletedUnitNeverActsOnItsSuccessor(Stores.Kind kind, Via via) {
    Stores.Opened o = stores.open(kind);
    Namespace ns = o.cached().namespace("n");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
    spec.addWorkUnit(K, Map.of("gen", 1L), WorkUnitMeta.DEFAULT);
    Attempt old = ns.worker("w").requestAttempts(AttemptRequest.one()).get(0);

    WorkSpec other = changer(o, via).namespace("n").workSpec("s");
    other.deleteWorkUnits(WorkUnitQuery.keys(K));
    other.addWorkUnit(K, Map.of("gen", 2L), WorkUnitMeta.DEFAULT);

    assertThatThrownBy(() -> old.finish(Map.of("gen", 1L))).isInstanceOf(GoneException.class);
    WorkUnit fresh = o.behind().namespace("n").workSpec("s").workUnit(K);
    assertThat(fresh.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(fresh.data()).isEqualTo(Map.of("gen", 2L));
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Stores.Kind.class)
  void lookUpsByNameAreServedFromTheCache(Stores.Kind kind) {
    Stores.Opened o = stores.open(kind);
    WorkSpec spec = o.cached().namespace("n").setWorkSpec(Map.of("name", "s"));
    spec.addWorkUnit(K, Map.of(), WorkUnitMeta.DEFAULT);
    o.cached().namespace("n").worker("w");
    long hits = o.cached().stats().hitCount();
    for (int i = 0; i < 10; i++) {
      assertThat(o.cached().namespace("n").workSpec("s").workUnit(K).key()).isEqualTo(K);
      assertThat(o.cached().namespace("n").worker("w").name()).isEqualTo("w");
    }
    // Per round: the namespace twice, the spec, the unit and the worker.
    assertThat(o.cached().stats().hitCount() - hits).isEqualTo(50);
    assertThat(o.cached().namespace("n").workSpec("s")).isSameAs(spec);
  }
}
