package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.leaseOne;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unitKeys;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Chaining: a successful finish turns the {@code output} of its data into units of the {@code then}
 * spec, in all three output forms, with inherited or explicit priorities and delays; nothing else
 * (fail, retry, expire) chains.
 */
public interface ChainingContract extends KitFixture {

  /** Spec "first" (then: "second") with unit "in" of {@code priority}, and spec "second". */
  private WorkSpec chain(double priority) {
    WorkSpec first = spec(namespace(), "first", "then", "second");
    spec(namespace(), "second");
    first.addWorkUnit(key("in"), Map.of("in", true), WorkUnitMeta.ofPriority(priority));
    return first;
  }

  /** Leases the unit "in" of spec "first". */
  private Attempt leaseInput() {
    return leaseOne(namespace().worker("w"), "first");
  }

  private WorkSpec second() {
    return namespace().workSpec("second");
  }

  private List<String> secondKeys() {
    return unitKeys(second().workUnits(WorkUnitQuery.all()));
  }

  private WorkUnit secondUnit(String key) {
    return second().workUnit(key(key));
  }

  @Test
  default void chainingMapOutputCreatesUnitsWithData() {
    chain(0);
    leaseInput().finish(Map.of("output", Map.of("k1", Map.of("a", 1), "k2", Map.of())));
    assertThat(secondKeys()).containsExactly("k1", "k2");
    assertThat(secondUnit("k1").data()).isEqualTo(Map.of("a", 1L));
    assertThat(secondUnit("k2").data()).isEmpty();
    assertThat(secondUnit("k1").status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(namespace().workSpec("first").workUnit(key("in")).status())
        .isEqualTo(WorkUnitStatus.FINISHED);
  }

  @Test
  default void chainingListOfKeysCreatesUnitsWithEmptyData() {
    chain(0);
    leaseInput().finish(Map.of("output", List.of("x", "y", "z")));
    assertThat(secondKeys()).containsExactly("x", "y", "z");
    assertThat(secondUnit("y").data()).isEmpty();
    assertThat(second().meta(true).availableCount()).isEqualTo(3);
  }

  @Test
  default void chainingListOfListsCreatesUnitsWithData() {
    chain(0);
    leaseInput()
        .finish(
            Map.of(
                "output",
                List.of(
                    List.of("p", Map.of("n", 1)),
                    List.of("q", Map.of("s", "t")),
                    List.of("r", Map.of()))));
    assertThat(secondKeys()).containsExactly("p", "q", "r");
    assertThat(secondUnit("p").data()).isEqualTo(Map.of("n", 1L));
    assertThat(secondUnit("q").data()).isEqualTo(Map.of("s", "t"));
    assertThat(secondUnit("r").data()).isEmpty();
  }

  @Test
  default void chainingMixedListForms() {
    chain(0);
    leaseInput().finish(Map.of("output", List.of("plain", List.of("rich", Map.of("x", true)))));
    assertThat(secondKeys()).containsExactly("plain", "rich");
    assertThat(secondUnit("rich").data()).isEqualTo(Map.of("x", true));
  }

  @Test
  default void chainingByteStringKeys() {
    chain(0);
    ByteString raw = ByteString.copyOf(new byte[] {(byte) 0xff, 0x00, 0x41});
    ByteString text = ByteString.utf8("bytes-key");
    leaseInput().finish(Map.of("output", List.of(raw, List.of(text, Map.of("b", 1)))));

    List<WorkUnitKey> keys =
        second().workUnits(WorkUnitQuery.all()).stream().map(WorkUnit::key).toList();
    assertThat(keys).containsExactly(new WorkUnitKey(text), new WorkUnitKey(raw));
    assertThat(second().workUnit(new WorkUnitKey(raw)).data()).isEmpty();
    assertThat(secondUnit("bytes-key").data()).isEqualTo(Map.of("b", 1L));
  }

  @Test
  default void chainingTuples() {
    chain(0);
    leaseInput()
        .finish(
            Map.of(
                "output",
                Tuple.of(
                    Tuple.of("t1", Map.of("a", 1)),
                    Tuple.of("t2", Map.of(), Map.of("priority", 4)),
                    "t3")));
    assertThat(secondKeys()).containsExactly("t1", "t2", "t3");
    assertThat(secondUnit("t1").data()).isEqualTo(Map.of("a", 1L));
    assertThat(secondUnit("t2").priority()).isEqualTo(4.0);
  }

  @Test
  default void chainingTupleItemsInsideAList() {
    chain(0);
    leaseInput()
        .finish(Map.of("output", List.of(Tuple.of("t", Map.of("v", Tuple.of(1, "x"))))));
    assertThat(secondUnit("t").data()).isEqualTo(Map.of("v", Tuple.of(1L, "x")));
  }

  @Test
  default void chainingMetaPriority() {
    chain(2);
    leaseInput()
        .finish(
            Map.of(
                "output",
                List.of(List.of("hi", Map.of(), Map.of("priority", 9)), List.of("same", Map.of()))));
    assertThat(secondUnit("hi").priority()).isEqualTo(9.0);
    assertThat(secondUnit("same").priority()).isEqualTo(2.0);
  }

  @Test
  default void chainingExplicitPriorityOverridesMeta() {
    chain(2);
    leaseInput()
        .finish(
            Map.of(
                "output",
                List.of(
                    List.of("x", Map.of(), Map.of("priority", 9), 7),
                    List.of("y", Map.of(), Map.of(), -1.5))));
    assertThat(secondUnit("x").priority()).isEqualTo(7.0);
    assertThat(secondUnit("y").priority()).isEqualTo(-1.5);
  }

  @Test
  default void chainingInheritsTheFinishedUnitsPriority() {
    chain(3.5);
    leaseInput()
        .finish(
            Map.of(
                "output",
                List.of("k", List.of("l", Map.of()), List.of("m", Map.of(), Map.of("delay", 0)))));
    assertThat(secondUnit("k").priority()).isEqualTo(3.5);
    assertThat(secondUnit("l").priority()).isEqualTo(3.5);
    assertThat(secondUnit("m").priority()).isEqualTo(3.5);
  }

  @Test
  default void chainingMapFormInheritsPriority() {
    chain(-4);
    leaseInput().finish(Map.of("output", Map.of("k", Map.of())));
    assertThat(secondUnit("k").priority()).isEqualTo(-4.0);
  }

  @Test
  default void chainingMetaDelayDelaysTheNewUnit() {
    chain(0);
    clock().advance(Duration.ofSeconds(10));
    leaseInput()
        .finish(
            Map.of(
                "output",
                List.of(List.of("later", Map.of(), Map.of("delay", 60)), List.of("now", Map.of()))));
    WorkUnit later = secondUnit("later");
    assertThat(later.status()).isEqualTo(WorkUnitStatus.DELAYED);
    assertThat(later.meta().notBefore()).isEqualTo(MutableClock.START.plusSeconds(70));
    assertThat(secondUnit("now").status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(second().meta(true).availableCount()).isEqualTo(1);

    clock().advance(Duration.ofSeconds(61));
    assertThat(later.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void chainingMissingThenSpecIsHarmless() {
    WorkSpec first = spec(namespace(), "first", "then", "nowhere");
    first.addWorkUnit(key("in"), Map.of(), WorkUnitMeta.DEFAULT);
    Attempt a = leaseInput();
    a.finish(Map.of("output", List.of("x")));
    assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(namespace().workSpecNames()).containsExactly("first");
  }

  @Test
  default void chainingWithoutThenCreatesNothing() {
    WorkSpec only = spec(namespace(), "first");
    spec(namespace(), "second");
    only.addWorkUnit(key("in"), Map.of(), WorkUnitMeta.DEFAULT);
    leaseInput().finish(Map.of("output", List.of("x")));
    assertThat(secondKeys()).isEmpty();
    assertThat(only.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void chainingWithoutOutputCreatesNothing() {
    chain(0);
    leaseInput().finish(Map.of("result", List.of("x")));
    assertThat(secondKeys()).isEmpty();
  }

  @Test
  default void chainingUsesRecordedDataWhenFinishHasNone() {
    chain(0);
    Attempt a = leaseInput();
    a.renew(LEASE, Map.of("output", List.of("from-renew")));
    a.finish(null);
    assertThat(secondKeys()).containsExactly("from-renew");
  }

  @Test
  default void chainingFailDoesNotChain() {
    chain(0);
    leaseInput().fail(Map.of("output", List.of("x"), "traceback", "t"));
    assertThat(secondKeys()).isEmpty();
  }

  @Test
  default void chainingRetryAndExpireDoNotChain() {
    chain(0);
    leaseInput().retry(Map.of("output", List.of("r")), null);
    leaseInput().expire(Map.of("output", List.of("e")));
    assertThat(secondKeys()).isEmpty();
  }

  @Test
  default void chainingLateFinishAfterFailChains() {
    chain(0);
    Attempt a = leaseInput();
    a.fail(Map.of("traceback", "parent gave up"));
    assertThat(secondKeys()).isEmpty();
    a.finish(Map.of("output", List.of("late")));
    assertThat(secondKeys()).containsExactly("late");
  }

  @Test
  default void chainingOntoAFinishedUnitMakesItAvailableAgain() {
    chain(0);
    WorkUnit existing =
        second().addWorkUnit(key("k"), Map.of("old", true), WorkUnitMeta.DEFAULT);
    namespace().worker("w2").makeAttempt(existing, LEASE).finish(null);
    assertThat(existing.status()).isEqualTo(WorkUnitStatus.FINISHED);

    leaseInput().finish(Map.of("output", Map.of("k", Map.of("new", true))));
    assertThat(existing.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(existing.data()).isEqualTo(Map.of("new", true));
    assertThat(existing.attempts()).hasSize(1);
  }

  @Test
  default void chainingMalformedItemsAreSkipped() {
    chain(0);
    Attempt a = leaseInput();
    // A bare [key] lacks the data element, so it is not one of the forms either.
    a.finish(
        Map.of("output", List.of(42, "ok", List.of(), List.of(7, Map.of()), List.of("bare"))));
    assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(secondKeys()).containsExactly("ok");
  }

  @Test
  default void chainingRunsThroughSeveralSpecs() {
    WorkSpec first = spec(namespace(), "first", "then", "second");
    spec(namespace(), "second", "then", "third");
    spec(namespace(), "third");
    first.addWorkUnit(key("in"), Map.of(), WorkUnitMeta.DEFAULT);
    leaseInput().finish(Map.of("output", List.of("mid")));
    leaseOne(namespace().worker("w"), "second").finish(Map.of("output", List.of("end")));
    assertThat(unitKeys(namespace().workSpec("third").workUnits(WorkUnitQuery.all())))
        .containsExactly("end");
  }
}
