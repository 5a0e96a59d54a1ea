package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupport.addUnit;
import static io.coordinate.api.conformance.KitSupport.addUnits;
import static io.coordinate.api.conformance.KitSupport.assertGone;
import static io.coordinate.api.conformance.KitSupport.key;
import static io.coordinate.api.conformance.KitSupport.leaseOne;
import static io.coordinate.api.conformance.KitSupport.map;
import static io.coordinate.api.conformance.KitSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Work specs (SPEC §2–3): creating and updating them, the definition as given versus the
 * run-time meta derived from it, {@link WorkSpec#setMeta} rules, exact counts, destruction and
 * re-creation, and every malformed definition rejected with nothing changed.
 */
public interface WorkSpecContract extends KitFixture {

  // ---------------------------------------------------------------- create, definition

  @Test
  default void specCreateKeepsTheDefinitionVerbatim() {
    Map<String, Object> def =
        map(
            "name", "s",
            "module", ByteString.utf8("my.module"),
            "run_function", "run",
            "config", map("depth", 3, "paths", List.of("a", "b"), "flag", true),
            "unknown_key", 1.5);
    WorkSpec s = namespace().setWorkSpec(def);
    assertThat(s.name()).isEqualTo("s");
    assertThat(s.namespace().name()).isEqualTo(namespace().name());
    WorkSpecDefinition got = s.definition();
    assertThat(got.name()).isEqualTo("s");
    assertThat(got.map())
        .isEqualTo(
            map(
                "name", "s",
                "module", ByteString.utf8("my.module"),
                "run_function", "run",
                "config", map("depth", 3L, "paths", List.of("a", "b"), "flag", true),
                "unknown_key", 1.5));
    assertThat(namespace().workSpec("s").definition().map()).isEqualTo(got.map());
  }

  @Test
  default void specDefinitionIsCopiedAndImmutable() {
    Map<String, Object> def = map("name", "s", "config", map("k", "v"));
    WorkSpec s = namespace().setWorkSpec(def);
    def.put("priority", 99);
    assertThat(s.definition().map()).doesNotContainKey("priority");
    assertThat(s.meta(false).priority()).isZero();
    assertThatThrownBy(() -> s.definition().map().put("x", 1))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  default void specDefaultMetaFromANameOnlyDefinition() {
    WorkSpecMeta m = spec(namespace(), "s").meta(false);
    assertThat(m.priority()).isZero();
    assertThat(m.weight()).isEqualTo(WorkSpecMeta.DEFAULT_WEIGHT);
    assertThat(m.paused()).isFalse();
    assertThat(m.continuous()).isFalse();
    assertThat(m.canBeContinuous()).isFalse();
    assertThat(m.interval()).isEqualTo(Duration.ZERO);
    assertThat(m.maxRunning()).isZero();
    assertThat(m.maxAttemptsReturned()).isZero();
    assertThat(m.maxRetries()).isZero();
    assertThat(m.nextWorkSpecName()).isEmpty();
    assertThat(m.runtime()).isEmpty();
    assertThat(m.minMemoryGb()).isZero();
    assertThat(m.counts()).isEmpty();
  }

  @Test
  default void specMetaDefaultsComeFromTheSpecialKeys() {
    WorkSpec s =
        spec(
            namespace(), "s",
            "priority", 5,
            "weight", 7,
            "disabled", true,
            "continuous", true,
            "interval", 90,
            "max_running", 3,
            "max_getwork", 4,
            "max_retries", 2,
            "then", "next",
            "runtime", "go",
            "min_gb", 1.5);
    WorkSpecMeta m = s.meta(false);
    assertThat(m.priority()).isEqualTo(5);
    assertThat(m.weight()).isEqualTo(7);
    assertThat(m.paused()).isTrue();
    assertThat(m.continuous()).isTrue();
    assertThat(m.canBeContinuous()).isTrue();
    assertThat(m.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(m.maxRunning()).isEqualTo(3);
    assertThat(m.maxAttemptsReturned()).isEqualTo(4);
    assertThat(m.maxRetries()).isEqualTo(2);
    assertThat(m.nextWorkSpecName()).isEqualTo("next");
    assertThat(m.runtime()).isEqualTo("go");
    assertThat(m.minMemoryGb()).isEqualTo(1.5);
  }

  @Test
  default void specWeightComesFromNiceWhenAbsentAndIsAtLeastOne() {
    assertThat(spec(namespace(), "nice5", "nice", 5).meta(false).weight()).isEqualTo(15);
    assertThat(spec(namespace(), "nice30", "nice", 30).meta(false).weight()).isEqualTo(1);
    assertThat(spec(namespace(), "both", "weight", 3, "nice", 5).meta(false).weight())
        .isEqualTo(3);
    assertThat(spec(namespace(), "zero", "weight", 0).meta(false).weight()).isEqualTo(1);
  }

  @Test
  default void specNullValuedSpecialKeysCountAsAbsent() {
    WorkSpec s = spec(namespace(), "s", "priority", null, "then", null, "max_running", null);
    WorkSpecMeta m = s.meta(false);
    assertThat(m.priority()).isZero();
    assertThat(m.nextWorkSpecName()).isEmpty();
    assertThat(m.maxRunning()).isZero();
    assertThat(s.definition().map()).containsKeys("priority", "then", "max_running");
  }

  @Test
  default void specByteStringNameIsAccepted() {
    WorkSpec s = namespace().setWorkSpec(map("name", ByteString.utf8("py2")));
    assertThat(s.name()).isEqualTo("py2");
    assertThat(namespace().workSpecNames()).containsExactly("py2");
    assertThat(namespace().workSpec("py2").name()).isEqualTo("py2");
  }

  @Test
  default void specDisabledDefinitionStartsPausedUntilResumed() {
    WorkSpec s = spec(namespace(), "s", "disabled", true);
    addUnit(s, "a");
    Worker w = namespace().worker("w");
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    s.setMeta(s.meta(false).withPaused(false));
    assertThat(leaseOne(w).workUnit().key()).isEqualTo(key("a"));
  }

  // ---------------------------------------------------------------- update

  @Test
  default void specUpdateWithSameNameKeepsTheSpecAndItsUnits() {
    WorkSpec s = spec(namespace(), "s", "priority", 1);
    addUnits(s, 3);
    leaseOne(namespace(), "w");
    WorkSpec updated = spec(namespace(), "s", "priority", 2, "module", "m2");
    assertThat(namespace().workSpecNames()).containsExactly("s");
    assertThat(updated.definition().map())
        .isEqualTo(map("name", "s", "priority", 2L, "module", "m2"));
    // The handle from before the update sees the new definition and the same units.
    assertThat(s.definition().map()).isEqualTo(updated.definition().map());
    assertThat(s.meta(false).priority()).isEqualTo(2);
    assertThat(KitSupport.counts(s))
        .isEqualTo(
            KitSupport.expectCounts(WorkUnitStatus.AVAILABLE, 2, WorkUnitStatus.PENDING, 1));
  }

  @Test
  default void specUpdateResetsTheMetaToTheNewDefinition() {
    WorkSpec s = spec(namespace(), "s", "priority", 1, "continuous", true);
    s.setMeta(
        s.meta(false).withPriority(9).withPaused(true).withMaxRunning(3).withWeight(2)
            .withContinuous(false));
    spec(namespace(), "s", "priority", 2, "continuous", true);
    WorkSpecMeta m = s.meta(false);
    assertThat(m.priority()).isEqualTo(2);
    assertThat(m.paused()).isFalse();
    assertThat(m.maxRunning()).isZero();
    assertThat(m.weight()).isEqualTo(WorkSpecMeta.DEFAULT_WEIGHT);
    assertThat(m.continuous()).isTrue();
  }

  @Test
  default void specUpdateDroppingContinuousMakesItNonContinuous() {
    WorkSpec s = spec(namespace(), "s", "continuous", true);
    assertThat(s.meta(false).continuous()).isTrue();
    spec(namespace(), "s");
    assertThat(s.meta(false).continuous()).isFalse();
    assertThat(s.meta(false).canBeContinuous()).isFalse();
  }

  @Test
  default void specUpdateKeepsTheNextContinuousTime() {
    WorkSpec s = spec(namespace(), "s", "continuous", true);
    Instant next = MutableClock.START.plus(Duration.ofHours(2));
    s.setMeta(s.meta(false).withNextContinuous(next));
    spec(namespace(), "s", "continuous", true, "interval", 60);
    assertThat(s.meta(false).nextContinuous()).isEqualTo(next);
    assertThat(s.meta(false).interval()).isEqualTo(Duration.ofSeconds(60));
    s.setDefinition(map("name", "s", "continuous", true, "interval", 30));
    assertThat(s.meta(false).nextContinuous()).isEqualTo(next);
    assertThat(s.meta(false).interval()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  default void specSetDefinitionReplacesTheDefinitionAndResetsMeta() {
    WorkSpec s = spec(namespace(), "s", "priority", 1, "module", "old");
    s.setMeta(s.meta(false).withWeight(5));
    s.setDefinition(map("name", "s", "priority", 4, "then", "t"));
    assertThat(s.definition().map()).isEqualTo(map("name", "s", "priority", 4L, "then", "t"));
    assertThat(namespace().workSpec("s").definition().map()).doesNotContainKey("module");
    assertThat(s.meta(false).priority()).isEqualTo(4);
    assertThat(s.meta(false).weight()).isEqualTo(WorkSpecMeta.DEFAULT_WEIGHT);
    assertThat(s.meta(false).nextWorkSpecName()).isEqualTo("t");
  }

  @Test
  default void specSetDefinitionWithAnotherNameIsRejectedAndChangesNothing() {
    WorkSpec s = spec(namespace(), "s", "priority", 1);
    s.setMeta(s.meta(false).withWeight(5));
    assertThatThrownBy(() -> s.setDefinition(map("name", "other", "priority", 2)))
        .isInstanceOf(InvalidWorkSpecException.class);
    assertThat(s.definition().map()).isEqualTo(map("name", "s", "priority", 1L));
    assertThat(s.meta(false).priority()).isEqualTo(1);
    assertThat(s.meta(false).weight()).isEqualTo(5);
    assertThat(namespace().workSpecNames()).containsExactly("s");
  }

  @Test
  default void specSetDefinitionMalformedIsRejectedAndChangesNothing() {
    WorkSpec s = spec(namespace(), "s", "priority", 1);
    assertThatThrownBy(() -> s.setDefinition(map("name", "s", "max_retries", -1)))
        .isInstanceOf(InvalidWorkSpecException.class);
    assertThatThrownBy(() -> s.setDefinition(map("priority", 3)))
        .isInstanceOf(InvalidWorkSpecException.class);
    assertThat(s.definition().map()).isEqualTo(map("name", "s", "priority", 1L));
    assertThat(s.meta(false).maxRetries()).isZero();
  }

  @Test
  default void specMalformedUpdateKeepsDefinitionAndMeta() {
    WorkSpec s = spec(namespace(), "s", "priority", 1);
    addUnit(s, "a");
    s.setMeta(s.meta(false).withPriority(9));
    assertThatThrownBy(() -> spec(namespace(), "s", "max_running", -1))
        .isInstanceOf(InvalidWorkSpecException.class);
    assertThat(s.definition().map()).isEqualTo(map("name", "s", "priority", 1L));
    assertThat(s.meta(false).priority()).isEqualTo(9);
    assertThat(s.countWorkUnitStatus().total()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- malformed definitions

  /** Asserts {@code create} is rejected as a bad definition and the namespace is unchanged. */
  private void assertRejectedDefinition(ThrowingCallable create) {
    WorkSpec keep = spec(namespace(), "keep", "priority", 1);
    assertThatThrownBy(create).isInstanceOf(InvalidWorkSpecException.class);
    assertThat(namespace().workSpecNames()).containsExactly("keep");
    assertThat(keep.definition().map()).isEqualTo(map("name", "keep", "priority", 1L));
  }

  @Test
  default void specDefinitionWithoutNameIsRejected() {
    assertRejectedDefinition(() -> namespace().setWorkSpec(map("priority", 1)));
  }

  @Test
  default void specDefinitionWithNonStringNameIsRejected() {
    assertRejectedDefinition(() -> namespace().setWorkSpec(map("name", 42)));
    assertRejectedDefinition(() -> namespace().setWorkSpec(map("name", List.of("a"))));
  }

  @Test
  default void specDefinitionWithEmptyNameIsRejected() {
    assertRejectedDefinition(() -> namespace().setWorkSpec(map("name", "")));
  }

  @Test
  default void specNullDefinitionIsRejected() {
    assertRejectedDefinition(() -> namespace().setWorkSpec(null));
  }

  @Test
  default void specDefinitionWithWrongTypedSpecialKeyIsRejected() {
    assertRejectedDefinition(() -> spec(namespace(), "bad", "priority", "high"));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "max_running", "lots"));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "disabled", "yes"));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "interval", "soon"));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "then", 5));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "weight", 2.5));
  }

  @Test
  default void specDefinitionWithNegativeLimitIsRejected() {
    assertRejectedDefinition(() -> spec(namespace(), "bad", "max_running", -1));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "max_getwork", -1));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "max_retries", -2));
    assertRejectedDefinition(() -> spec(namespace(), "bad", "interval", -5));
  }

  @Test
  default void specDefinitionWithUnsupportedValueIsRejected() {
    assertRejectedDefinition(() -> spec(namespace(), "bad", "thing", new Object()));
    assertRejectedDefinition(
        () -> spec(namespace(), "bad", "config", Map.of(1, "integer keys are not allowed")));
  }

  // ---------------------------------------------------------------- setMeta

  @Test
  default void specSetMetaChangesEveryMutableField() {
    WorkSpec s = spec(namespace(), "s", "continuous", true);
    WorkSpecMeta wanted =
        s.meta(false)
            .withPriority(7)
            .withWeight(3)
            .withPaused(true)
            .withContinuous(false)
            .withInterval(Duration.ofSeconds(90))
            .withNextContinuous(MutableClock.START.plus(Duration.ofHours(1)))
            .withMaxRunning(4)
            .withMaxAttemptsReturned(5)
            .withMaxRetries(6);
    s.setMeta(wanted);
    assertThat(s.meta(false)).isEqualTo(wanted);
    assertThat(namespace().workSpec("s").meta(false)).isEqualTo(wanted);
  }

  @Test
  default void specSetMetaIgnoresFixedFieldsAndCounts() {
    WorkSpec s = spec(namespace(), "s", "then", "next", "runtime", "go", "min_gb", 2);
    WorkSpecMeta before = s.meta(false);
    WorkSpecMeta request =
        new WorkSpecMeta(
            8, 9, false, false, true, Duration.ZERO, Instant.EPOCH, 0, 0, 0,
            "elsewhere", "python", 64, RateLimit.of(3), Retention.NONE.withFinishedCount(2),
            Optional.of(new WorkSpecMeta.Counts(5, 5)));
    s.setMeta(request);
    WorkSpecMeta after = s.meta(false);
    assertThat(after.priority()).isEqualTo(8);
    assertThat(after.weight()).isEqualTo(9);
    assertThat(after.rateLimit()).isEqualTo(RateLimit.of(3));
    assertThat(after.retention()).isEqualTo(Retention.NONE.withFinishedCount(2));
    assertThat(after.canBeContinuous()).isFalse();
    assertThat(after.nextWorkSpecName()).isEqualTo(before.nextWorkSpecName()).isEqualTo("next");
    assertThat(after.runtime()).isEqualTo("go");
    assertThat(after.minMemoryGb()).isEqualTo(2.0);
    assertThat(after.counts()).isEmpty();
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(0, 0));
  }

  @Test
  default void specSetMetaDoesNotTouchTheDefinition() {
    WorkSpec s = spec(namespace(), "s", "priority", 1, "weight", 2);
    s.setMeta(s.meta(false).withPriority(5).withWeight(6).withPaused(true));
    assertThat(s.definition().map()).isEqualTo(map("name", "s", "priority", 1L, "weight", 2L));
    assertThat(s.definition().defaultMeta().priority()).isEqualTo(1);
  }

  @Test
  default void specSetMetaContinuousOnANonContinuousSpecIsRejected() {
    WorkSpec s = spec(namespace(), "s", "priority", 1);
    WorkSpecMeta before = s.meta(false);
    assertThatThrownBy(() -> s.setMeta(before.withContinuous(true).withPriority(9)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(s.meta(false)).isEqualTo(before);
  }

  @Test
  default void specSetMetaTurnsContinuousOffAndOnAgain() {
    WorkSpec s = spec(namespace(), "s", "continuous", true);
    s.setMeta(s.meta(false).withContinuous(false));
    assertThat(s.meta(false).continuous()).isFalse();
    assertThat(s.meta(false).canBeContinuous()).isTrue();
    s.setMeta(s.meta(false).withContinuous(true));
    assertThat(s.meta(false).continuous()).isTrue();
  }

  @Test
  default void specSetMetaPausedStopsLeasingAndResumes() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    Worker w = namespace().worker("w");
    s.setMeta(s.meta(false).withPaused(true));
    assertThat(s.meta(false).paused()).isTrue();
    assertThat(w.requestAttempts(AttemptRequest.of(5))).isEmpty();
    assertThat(s.meta(true).availableCount()).isEqualTo(1);
    s.setMeta(s.meta(false).withPaused(false));
    assertThat(leaseOne(w).workUnit().key()).isEqualTo(key("a"));
  }

  @Test
  default void specSetMetaWeightZeroStopsLeasing() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    Worker w = namespace().worker("w");
    s.setMeta(s.meta(false).withWeight(0));
    assertThat(s.meta(false).weight()).isZero();
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    s.setMeta(s.meta(false).withWeight(1));
    assertThat(leaseOne(w).workUnit().key()).isEqualTo(key("a"));
  }

  // ---------------------------------------------------------------- counts in the meta

  @Test
  default void specMetaHasCountsOnlyWhenAsked() {
    WorkSpec s = spec(namespace(), "s");
    assertThat(s.meta(false).counts()).isEmpty();
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(0, 0));
    addUnits(s, 2);
    assertThat(s.meta(false).counts()).isEmpty();
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(2, 0));
  }

  @Test
  default void specMetaCountsAreExactAndExcludeDelayedAndFinished() {
    WorkSpec s = spec(namespace(), "s");
    addUnits(s, 5);
    Instant later = clock().instant().plusSeconds(60);
    s.addWorkUnit(key("later"), Map.of(), WorkUnitMeta.DEFAULT.withNotBefore(later));
    Worker w = namespace().worker("w");
    leaseOne(w);
    leaseOne(w).finish(null);
    leaseOne(w).fail(null);
    // u00000 pending, u00001 finished, u00002 failed, u00003..u00004 available, "later" delayed.
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(2, 1));
  }

  @Test
  default void specMetaCountsFollowTheClockForExpiryAndDelay() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    s.addWorkUnit(
        key("b"), Map.of(), WorkUnitMeta.DEFAULT.withNotBefore(clock().instant().plusSeconds(300)));
    leaseOne(namespace().worker("w"), "s", Duration.ofSeconds(60));
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(0, 1));
    clock().advance(Duration.ofSeconds(61));
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(1, 0));
    clock().advance(Duration.ofSeconds(300));
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(2, 0));
  }

  @Test
  default void specMetaCountsIncludeUnitsOfAPausedSpec() {
    WorkSpec s = spec(namespace(), "s", "disabled", true);
    addUnits(s, 3);
    assertThat(s.meta(true).counts()).contains(new WorkSpecMeta.Counts(3, 0));
  }

  // ---------------------------------------------------------------- destroy and re-create

  @Test
  default void specDestroyedHandleIsGone() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "a");
    WorkSpecMeta meta = s.meta(false);
    namespace().destroyWorkSpec("s");
    assertThat(namespace().workSpecNames()).isEmpty();
    assertGone(
        "a destroyed work spec",
        s::definition,
        () -> s.meta(false),
        () -> s.meta(true),
        () -> s.setMeta(meta.withPriority(3)),
        () -> s.setDefinition(map("name", "s")),
        () -> s.addWorkUnit(key("b"), Map.of(), WorkUnitMeta.DEFAULT),
        () -> s.addWorkUnits(List.of()),
        () -> s.workUnit(key("a")),
        () -> s.workUnits(WorkUnitQuery.all()),
        s::countWorkUnitStatus,
        () -> s.setWorkUnitPriorities(WorkUnitQuery.all(), 1),
        () -> s.adjustWorkUnitPriorities(WorkUnitQuery.all(), 1),
        () -> s.deleteWorkUnits(WorkUnitQuery.all()));
    assertThat(namespace().workSpecNames()).isEmpty();
  }

  @Test
  default void specDestroyedUnitsAndAttemptsAreGoneAndLeaveWorkers() {
    WorkSpec s = spec(namespace(), "s");
    WorkSpec other = spec(namespace(), "other");
    WorkUnit a = addUnit(s, "a");
    addUnit(s, "b");
    addUnit(other, "c");
    Worker w = namespace().worker("w");
    Attempt pending = leaseOne(w, "s", Duration.ofMinutes(5));
    leaseOne(w, "s", Duration.ofMinutes(5)).finish(null);
    Attempt kept = leaseOne(w, "other", Duration.ofMinutes(5));

    namespace().destroyWorkSpec("s");
    assertGone("a unit of a destroyed spec", a::status, a::data, a::meta, a::attempts);
    assertGone(
        "an attempt of a destroyed spec",
        pending::status,
        () -> pending.finish(null),
        () -> pending.renew(Duration.ofMinutes(1), null));
    assertThat(w.activeAttempts()).hasSize(1);
    assertThat(w.allAttempts()).hasSize(1);
    assertThat(w.activeAttempts().get(0).workUnit().key()).isEqualTo(key("c"));
    kept.finish(null);
    assertThat(other.workUnit(key("c")).status()).isEqualTo(WorkUnitStatus.FINISHED);
  }

  @Test
  default void specRecreatedAfterDestroyIsNewAndEmpty() {
    WorkSpec old = spec(namespace(), "s", "priority", 3);
    addUnits(old, 4);
    old.setMeta(old.meta(false).withWeight(2));
    namespace().destroyWorkSpec("s");

    WorkSpec fresh = spec(namespace(), "s");
    assertThat(namespace().workSpecNames()).containsExactly("s");
    assertThat(fresh.workUnits(WorkUnitQuery.all())).isEmpty();
    assertThat(fresh.meta(false).priority()).isZero();
    assertThat(fresh.meta(false).weight()).isEqualTo(WorkSpecMeta.DEFAULT_WEIGHT);
    assertThatThrownBy(() -> fresh.workUnit(KitSupport.unitKey(0)))
        .isInstanceOf(NoSuchWorkUnitException.class);
    if (handlesFollowNames()) {
      assertThat(old.countWorkUnitStatus().total()).isZero();
      assertThat(old.meta(false).weight()).isEqualTo(WorkSpecMeta.DEFAULT_WEIGHT);
    } else {
      // Name identity is not a backend's business: the old handle stays gone.
      assertGone("the handle of the destroyed spec", old::countWorkUnitStatus, () -> old.meta(false));
    }
  }

  @Test
  default void specLookupAfterDestroyThrowsNoSuchWorkSpec() {
    spec(namespace(), "s");
    namespace().destroyWorkSpec("s");
    assertThatThrownBy(() -> namespace().workSpec("s")).isInstanceOf(NoSuchWorkSpecException.class);
  }

  @Test
  default void specUnitsOfTwoSpecsWithTheSameKeyAreIndependent() {
    WorkSpec a = spec(namespace(), "a");
    WorkSpec b = spec(namespace(), "b");
    addUnit(a, "k", Map.of("in", "a"));
    addUnit(b, "k", Map.of("in", "b"));
    WorkUnitKey k = key("k");
    leaseOne(namespace().worker("w"), "a", Duration.ofMinutes(1)).finish(null);
    assertThat(a.workUnit(k).status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(b.workUnit(k).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(b.workUnit(k).data()).isEqualTo(Map.of("in", "b"));
    b.deleteWorkUnits(WorkUnitQuery.all());
    assertThat(a.workUnit(k).status()).isEqualTo(WorkUnitStatus.FINISHED);
  }
}
