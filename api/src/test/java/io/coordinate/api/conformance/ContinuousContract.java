package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.keysOf;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static io.coordinate.api.conformance.KitSupportB.unitKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.scheduling.Scheduler;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Continuous specs (SPEC §3 step 6): when nothing of such a spec is available or pending, a request
 * creates exactly one unit named after the current time, at most once per interval, never while
 * paused, never for a spec that is not continuous.
 */
public interface ContinuousContract extends KitFixture {

  private WorkSpec continuousSpec(Object... extra) {
    Object[] keys = new Object[extra.length + 2];
    keys[0] = "continuous";
    keys[1] = true;
    System.arraycopy(extra, 0, keys, 2, extra.length);
    return spec(namespace(), "c", keys);
  }

  private Worker worker() {
    return namespace().worker("w");
  }

  private String nameNow() {
    return Scheduler.continuousUnitName(clock().instant());
  }

  @Test
  default void continuousCreatesOneUnitWhenNoneExists() {
    WorkSpec spec = continuousSpec();
    assertThat(spec.meta(false).continuous()).isTrue();
    assertThat(spec.meta(false).canBeContinuous()).isTrue();

    List<Attempt> got = worker().requestAttempts(AttemptRequest.one());
    assertThat(keysOf(got)).containsExactly(nameNow());
    assertThat(got.get(0).workUnit().workSpec().name()).isEqualTo("c");
    assertThat(unitKeys(spec.workUnits(WorkUnitQuery.all()))).containsExactly(nameNow());
    assertThat(spec.workUnit(key(nameNow())).status()).isEqualTo(WorkUnitStatus.PENDING);
  }

  @Test
  default void continuousBatchRequestStillCreatesExactlyOne() {
    WorkSpec spec = continuousSpec();
    assertThat(worker().requestAttempts(AttemptRequest.of(10))).hasSize(1);
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void continuousNothingMoreWhileItsUnitIsPending() {
    WorkSpec spec = continuousSpec();
    Worker w = worker();
    assertThat(w.requestAttempts(AttemptRequest.one())).hasSize(1);
    clock().advance(Duration.ofSeconds(5));
    assertThat(namespace().worker("w2").requestAttempts(AttemptRequest.one())).isEmpty();
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void continuousNothingWhenAnotherUnitIsPending() {
    WorkSpec spec = continuousSpec();
    Worker w = worker();
    w.makeAttempt(unit(spec, "manual"), LEASE);
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    assertThat(unitKeys(spec.workUnits(WorkUnitQuery.all()))).containsExactly("manual");
  }

  @Test
  default void continuousHandsOutAnAvailableUnitInsteadOfCreating() {
    WorkSpec spec = continuousSpec();
    unit(spec, "manual");
    assertThat(keysOf(worker().requestAttempts(AttemptRequest.of(5)))).containsExactly("manual");
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void continuousCreatesWhenOnlyDoneOrDelayedUnitsRemain() {
    WorkSpec spec = continuousSpec();
    Worker w = worker();
    w.makeAttempt(unit(spec, "done"), LEASE).finish(null);
    w.makeAttempt(unit(spec, "bad"), LEASE).fail(null);
    spec.addWorkUnit(
        key("later"), Map.of(), WorkUnitMeta.DEFAULT.withNotBefore(
            MutableClock.START.plus(Duration.ofHours(1))));
    clock().advance(Duration.ofSeconds(1));
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly(nameNow());
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(4);
  }

  @Test
  default void continuousIntervalIsRespected() {
    WorkSpec spec = continuousSpec("interval", 60);
    Worker w = worker();
    String first = nameNow();
    w.requestAttempts(AttemptRequest.one()).get(0).finish(null);
    assertThat(spec.meta(false).nextContinuous())
        .isEqualTo(MutableClock.START.plus(Duration.ofSeconds(60)));

    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    clock().advance(Duration.ofSeconds(30));
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    clock().advance(Duration.ofSeconds(31));
    String second = nameNow();
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly(second);
    assertThat(unitKeys(spec.workUnits(WorkUnitQuery.all()))).containsExactly(first, second);
  }

  @Test
  default void continuousWithoutIntervalCreatesAgainOnceTheLastIsDone() {
    WorkSpec spec = continuousSpec();
    Worker w = worker();
    w.requestAttempts(AttemptRequest.one()).get(0).finish(null);
    clock().advance(Duration.ofMillis(1500));
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly(nameNow());
    assertThat(unitKeys(spec.workUnits(WorkUnitQuery.all())))
        .containsExactly(Scheduler.continuousUnitName(MutableClock.START), nameNow());
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(2);
  }

  @Test
  default void continuousNothingWhilePaused() {
    WorkSpec spec = continuousSpec("disabled", true);
    Worker w = worker();
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    spec.setMeta(spec.meta(false).withPaused(false));
    assertThat(w.requestAttempts(AttemptRequest.one())).hasSize(1);
    spec.setMeta(spec.meta(false).withPaused(true));
    clock().advance(Duration.ofMinutes(1));
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(1);
  }

  @Test
  default void continuousNonContinuousSpecNeverCreates() {
    WorkSpec spec = spec(namespace(), "plain");
    WorkSpec explicitlyNot = spec(namespace(), "not", "continuous", false);
    Worker w = worker();
    assertThat(w.requestAttempts(AttemptRequest.of(3))).isEmpty();
    clock().advance(Duration.ofHours(1));
    assertThat(w.requestAttempts(AttemptRequest.of(3))).isEmpty();
    assertThat(spec.countWorkUnitStatus().total()).isZero();
    assertThat(explicitlyNot.countWorkUnitStatus().total()).isZero();
    assertThat(spec.meta(false).canBeContinuous()).isFalse();
  }

  @Test
  default void continuousSetMetaTogglesCreation() {
    WorkSpec spec = continuousSpec();
    Worker w = worker();
    spec.setMeta(spec.meta(false).withContinuous(false));
    assertThat(spec.meta(false).continuous()).isFalse();
    assertThat(spec.meta(false).canBeContinuous()).isTrue();
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();

    spec.setMeta(spec.meta(false).withContinuous(true));
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly(nameNow());
  }

  @Test
  default void continuousCannotBeSwitchedOnWithoutDefinitionSaying() {
    WorkSpec spec = spec(namespace(), "plain");
    assertThatThrownBy(() -> spec.setMeta(spec.meta(false).withContinuous(true)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(spec.meta(false).continuous()).isFalse();
    assertThat(worker().requestAttempts(AttemptRequest.one())).isEmpty();
  }

  @Test
  default void continuousWaitsForNextContinuousSetByMeta() {
    WorkSpec spec = continuousSpec();
    spec.setMeta(
        spec.meta(false).withNextContinuous(MutableClock.START.plus(Duration.ofMinutes(10))));
    Worker w = worker();
    assertThat(w.requestAttempts(AttemptRequest.one())).isEmpty();
    clock().advance(Duration.ofMinutes(10));
    assertThat(keysOf(w.requestAttempts(AttemptRequest.one()))).containsExactly(nameNow());
  }

  @Test
  default void continuousRespectsWorkSpecsFilter() {
    continuousSpec();
    WorkSpec other = spec(namespace(), "other");
    Worker w = worker();
    assertThat(w.requestAttempts(from("other", 1))).isEmpty();
    assertThat(other.countWorkUnitStatus().total()).isZero();
    assertThat(namespace().workSpec("c").countWorkUnitStatus().total()).isZero();
    assertThat(w.requestAttempts(from("c", 1))).hasSize(1);
  }

  @Test
  default void continuousAvailableCountStaysExact() {
    WorkSpec spec = continuousSpec();
    assertThat(spec.meta(true).availableCount()).isZero();
    assertThat(spec.meta(true).pendingCount()).isZero();
    worker().requestAttempts(AttemptRequest.one());
    assertThat(spec.meta(true).availableCount()).isZero();
    assertThat(spec.meta(true).pendingCount()).isEqualTo(1);
  }
}
