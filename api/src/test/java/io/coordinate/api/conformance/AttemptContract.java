package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.activeWorker;
import static io.coordinate.api.conformance.KitSupportB.assertRejected;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.keysOf;
import static io.coordinate.api.conformance.KitSupportB.leaseOne;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static io.coordinate.api.conformance.KitSupportB.workersOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptState;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.GoneException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
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
import org.junit.jupiter.api.Test;

/**
 * Attempts: the lease life-cycle (finish, fail, retry, expire, renew from every state), the data
 * an attempt records, its times against the kit clock, expiry by time alone, and what happens to
 * attempts when their unit or spec goes away.
 */
public interface AttemptContract extends KitFixture {

  // ---- helpers (private to this contract) ----

  /** Spec "a" with one unit "u" (data {"key": "u"}), leased by worker "w1" for {@code lease}. */
  private Attempt pendingAttempt(Duration lease) {
    WorkSpec spec = spec(namespace(), "a");
    unit(spec, "u");
    return leaseOne(namespace().worker("w1"), "a", lease);
  }

  /** An attempt that expired by time but is still its unit's active attempt. */
  private Attempt expiredButActive() {
    Attempt a = pendingAttempt(Duration.ofMinutes(1));
    clock().advance(Duration.ofMinutes(2));
    return a;
  }

  /** An attempt that expired by time after which worker "w2" took its unit. */
  private Attempt expiredAndSuperseded() {
    Attempt a = expiredButActive();
    leaseOne(namespace().worker("w2"), "a");
    return a;
  }

  private Instant now() {
    return clock().instant();
  }

  /** The keys of the spec's units in {@code status}, in key order. */
  private static List<String> unitKeysWith(WorkSpec spec, WorkUnitStatus status) {
    return KitSupportB.unitKeys(spec.workUnits(WorkUnitQuery.statuses(status)));
  }

  // ---- a new attempt ----

  @Test
  default void attemptFreshUnitHasNoAttempt() {
    WorkUnit u = unit(spec(namespace(), "a"), "u");
    assertThat(u.activeAttempt()).isEmpty();
    assertThat(u.attempts()).isEmpty();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void attemptStateReadsTheAccessorsTogether() {
    Attempt a = pendingAttempt(Duration.ofMinutes(1));
    assertThat(a.state()).isEqualTo(new AttemptState(AttemptStatus.PENDING, a.data(),
        a.startTime(), Optional.empty(), a.startTime().plus(Duration.ofMinutes(1))));
    clock().advance(Duration.ofMinutes(2)); // ran out, not yet swept: ended when its lease did
    assertThat(a.state()).isEqualTo(new AttemptState(AttemptStatus.EXPIRED, a.data(),
        a.startTime(), Optional.of(a.expirationTime()), a.expirationTime()));
    a.finish(Map.of("output", "late"));
    assertThat(a.state().status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(a.state().data()).isEqualTo(Map.of("output", "late"));
    assertThat(a.state().endTime()).contains(now());
    a.workUnit().workSpec().deleteWorkUnits(WorkUnitQuery.all());
    assertThatThrownBy(a::state).isInstanceOf(GoneException.class);
  }

  @Test
  default void attemptRequestedIsPendingWithTimesAndDataCopy() {
    WorkSpec spec = spec(namespace(), "a");
    WorkUnit u = spec.addWorkUnit(key("u"), Map.of("x", 1, "s", "t"), WorkUnitMeta.DEFAULT);
    Worker w = namespace().worker("w1");
    Attempt a = leaseOne(w, "a", Duration.ofMinutes(10));

    assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(a.startTime()).isEqualTo(MutableClock.START);
    assertThat(a.expirationTime()).isEqualTo(MutableClock.START.plus(Duration.ofMinutes(10)));
    assertThat(a.endTime()).isEmpty();
    assertThat(a.worker().name()).isEqualTo("w1");
    assertThat(a.workUnit().key()).isEqualTo(key("u"));
    assertThat(a.data()).isEqualTo(Map.of("x", 1L, "s", "t"));
    assertThat(u.status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(activeWorker(u)).isEqualTo("w1");
    assertThat(u.attempts()).hasSize(1);
    assertThat(keysOf(w.activeAttempts())).containsExactly("u");
  }

  // ---- from pending ----

  @Test
  default void attemptFinishFromPending() {
    Attempt a = pendingAttempt(LEASE);
    clock().advance(Duration.ofSeconds(30));
    a.finish(Map.of("result", "ok"));

    assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(a.endTime()).contains(MutableClock.START.plusSeconds(30));
    assertThat(a.startTime()).isEqualTo(MutableClock.START);
    assertThat(a.data()).isEqualTo(Map.of("result", "ok"));
    WorkUnit u = a.workUnit();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(u.workSpec().countWorkUnitStatus().get(WorkUnitStatus.FINISHED)).isEqualTo(1);
    assertThat(u.workSpec().meta(true).pendingCount()).isZero();
    assertThat(a.worker().activeAttempts()).isEmpty();
    assertThat(keysOf(a.worker().allAttempts())).containsExactly("u");
  }

  @Test
  default void attemptFailFromPending() {
    Attempt a = pendingAttempt(LEASE);
    clock().advance(Duration.ofSeconds(7));
    a.fail(Map.of("traceback", "boom"));

    assertThat(a.status()).isEqualTo(AttemptStatus.FAILED);
    assertThat(a.endTime()).contains(MutableClock.START.plusSeconds(7));
    assertThat(a.data()).isEqualTo(Map.of("traceback", "boom"));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FAILED);
    assertThat(a.workUnit().workSpec().countWorkUnitStatus().get(WorkUnitStatus.FAILED))
        .isEqualTo(1);
    assertThat(a.worker().activeAttempts()).isEmpty();
  }

  @Test
  default void attemptRetryFromPendingMakesUnitAvailableAgain() {
    Attempt a = pendingAttempt(LEASE);
    clock().advance(Duration.ofSeconds(3));
    a.retry(Map.of("traceback", "transient"), null);

    assertThat(a.status()).isEqualTo(AttemptStatus.RETRYABLE);
    assertThat(a.endTime()).contains(MutableClock.START.plusSeconds(3));
    assertThat(a.data()).isEqualTo(Map.of("traceback", "transient"));
    WorkUnit u = a.workUnit();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(u.workSpec().meta(true).availableCount()).isEqualTo(1);
    Attempt again = leaseOne(namespace().worker("w2"), "a");
    assertThat(again.workUnit().key()).isEqualTo(key("u"));
    assertThat(workersOf(u.attempts())).containsExactly("w1", "w2");
  }

  @Test
  default void attemptRetryWithZeroDelayIsAvailableNow() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, Duration.ZERO);
    assertThat(a.status()).isEqualTo(AttemptStatus.RETRYABLE);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(namespace().worker("w2").requestAttempts(from("a", 1))).hasSize(1);
  }

  @Test
  default void attemptRetryWithDelayDelaysUnitUntilClockPasses() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, Duration.ofMinutes(10));
    WorkUnit u = a.workUnit();

    assertThat(u.status()).isEqualTo(WorkUnitStatus.DELAYED);
    assertThat(u.meta().notBefore()).isEqualTo(MutableClock.START.plus(Duration.ofMinutes(10)));
    assertThat(u.workSpec().meta(true).availableCount()).isZero();
    Worker w2 = namespace().worker("w2");
    assertThat(w2.requestAttempts(from("a", 1))).isEmpty();

    clock().advance(Duration.ofMinutes(9));
    assertThat(u.status()).isEqualTo(WorkUnitStatus.DELAYED);
    assertThat(w2.requestAttempts(from("a", 1))).isEmpty();

    clock().advance(Duration.ofMinutes(2));
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(keysOf(w2.requestAttempts(from("a", 1)))).containsExactly("u");
  }

  @Test
  default void attemptExpireFromPending() {
    Attempt a = pendingAttempt(LEASE);
    clock().advance(Duration.ofSeconds(10));
    a.expire(Map.of("why", "shutdown"));

    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(a.endTime()).contains(MutableClock.START.plusSeconds(10));
    assertThat(a.data()).isEqualTo(Map.of("why", "shutdown"));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(a.worker().activeAttempts()).isEmpty();
    assertThat(keysOf(namespace().worker("w2").requestAttempts(from("a", 1))))
        .containsExactly("u");
  }

  @Test
  default void attemptRenewFromPendingExtendsLease() {
    Attempt a = pendingAttempt(Duration.ofMinutes(5));
    clock().advance(Duration.ofMinutes(2));
    a.renew(Duration.ofMinutes(10), null);

    assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(a.expirationTime()).isEqualTo(MutableClock.START.plus(Duration.ofMinutes(12)));
    assertThat(a.data()).isEqualTo(Map.of("key", "u"));
    // Past the original lease, still held thanks to the renewal.
    clock().advance(Duration.ofMinutes(9));
    assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(keysOf(a.worker().activeAttempts())).containsExactly("u");
  }

  @Test
  default void attemptRenewReplacesData() {
    Attempt a = pendingAttempt(LEASE);
    a.renew(LEASE, Map.of("progress", 50));
    assertThat(a.data()).isEqualTo(Map.of("progress", 50L));
    assertThat(a.workUnit().data()).isEqualTo(Map.of("progress", 50L));
  }

  // ---- expired but still active ----

  @Test
  default void attemptFinishWhenExpiredButStillActive() {
    Attempt a = expiredButActive();
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    a.finish(Map.of("late", true));
    assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(a.data()).isEqualTo(Map.of("late", true));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
  }

  @Test
  default void attemptFailWhenExpiredButStillActive() {
    Attempt a = expiredButActive();
    a.fail(Map.of("traceback", "late"));
    assertThat(a.status()).isEqualTo(AttemptStatus.FAILED);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FAILED);
  }

  @Test
  default void attemptRetryWhenExpiredButStillActive() {
    Attempt a = expiredButActive();
    a.retry(null, Duration.ofMinutes(1));
    assertThat(a.status()).isEqualTo(AttemptStatus.RETRYABLE);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.DELAYED);
    assertThat(a.workUnit().meta().notBefore()).isEqualTo(now().plus(Duration.ofMinutes(1)));
  }

  @Test
  default void attemptRenewWhenExpiredButStillActiveMakesItPendingAgain() {
    Attempt a = expiredButActive();
    assertThat(a.worker().activeAttempts()).isEmpty();
    a.renew(Duration.ofMinutes(3), null);

    assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(a.expirationTime()).isEqualTo(now().plus(Duration.ofMinutes(3)));
    assertThat(a.endTime()).isEmpty();
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(a.workUnit().workSpec().meta(true).pendingCount()).isEqualTo(1);
    assertThat(keysOf(a.worker().activeAttempts())).containsExactly("u");
  }

  @Test
  default void attemptExpireWhenAlreadyExpiredIsNoOp() {
    Attempt a = expiredButActive();
    a.expire(null);
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    a.expire(null);
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void attemptExplicitExpireThenRenewRevivesIt() {
    Attempt a = pendingAttempt(LEASE);
    a.expire(null);
    clock().advance(Duration.ofSeconds(5));
    a.renew(Duration.ofMinutes(1), Map.of("back", true));
    assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(a.endTime()).isEmpty();
    assertThat(a.expirationTime()).isEqualTo(now().plus(Duration.ofMinutes(1)));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.PENDING);
  }

  // ---- expired and superseded by another worker ----

  @Test
  default void attemptFinishAfterSupersededIsRejected() {
    Attempt a = expiredAndSuperseded();
    assertRejected(a, () -> a.finish(Map.of("late", true)));
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(activeWorker(a.workUnit())).isEqualTo("w2");
  }

  @Test
  default void attemptFailAfterSupersededIsRejected() {
    Attempt a = expiredAndSuperseded();
    assertRejected(a, () -> a.fail(Map.of("traceback", "late")));
    assertThat(activeWorker(a.workUnit())).isEqualTo("w2");
  }

  @Test
  default void attemptRetryAfterSupersededIsRejected() {
    Attempt a = expiredAndSuperseded();
    assertRejected(a, () -> a.retry(null, null));
    assertThat(activeWorker(a.workUnit())).isEqualTo("w2");
  }

  @Test
  default void attemptExpireAfterSupersededIsNoOp() {
    Attempt a = expiredAndSuperseded();
    a.expire(Map.of("ignored", true));
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(a.data()).isEqualTo(Map.of("key", "u"));
    WorkUnit u = a.workUnit();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(activeWorker(u)).isEqualTo("w2");
    assertThat(u.activeAttempt().orElseThrow().status()).isEqualTo(AttemptStatus.PENDING);
  }

  @Test
  default void attemptRenewAfterSupersededLosesLeaseButRecordsData() {
    Attempt a = expiredAndSuperseded();
    assertThatThrownBy(() -> a.renew(LEASE, Map.of("progress", 90)))
        .isInstanceOf(LostLeaseException.class);
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(a.data()).isEqualTo(Map.of("progress", 90L));
    WorkUnit u = a.workUnit();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(activeWorker(u)).isEqualTo("w2");
    assertThat(a.worker().activeAttempts()).isEmpty();
    assertThat(keysOf(namespace().worker("w2").activeAttempts())).containsExactly("u");
  }

  // ---- finished ----

  @Test
  default void attemptFinishTwiceIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.finish(Map.of("n", 1));
    assertRejected(a, () -> a.finish(Map.of("n", 2)));
  }

  @Test
  default void attemptFailAfterFinishIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.finish(Map.of("n", 1));
    assertRejected(a, () -> a.fail(Map.of("traceback", "x")));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
  }

  @Test
  default void attemptRetryAfterFinishIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.finish(null);
    assertRejected(a, () -> a.retry(null, null));
  }

  @Test
  default void attemptExpireAfterFinishIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.finish(null);
    assertRejected(a, () -> a.expire(null));
  }

  @Test
  default void attemptRenewAfterFinishIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.finish(null);
    assertRejected(a, () -> a.renew(LEASE, Map.of("x", 1)));
  }

  @Test
  default void attemptFinishedStaysFinishedAfterItsLeaseRunsOut() {
    Attempt a = pendingAttempt(Duration.ofMinutes(1));
    a.finish(null);
    clock().advance(Duration.ofHours(1));
    assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
  }

  // ---- failed ----

  @Test
  default void attemptLateFinishAfterFailWins() {
    Attempt a = pendingAttempt(LEASE);
    a.fail(Map.of("traceback", "parent gave up"));
    clock().advance(Duration.ofSeconds(20));
    a.finish(Map.of("result", "done"));

    assertThat(a.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(a.data()).isEqualTo(Map.of("result", "done"));
    assertThat(a.endTime()).contains(MutableClock.START.plusSeconds(20));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(a.workUnit().data()).isEqualTo(Map.of("result", "done"));
  }

  @Test
  default void attemptFailTwiceIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.fail(Map.of("traceback", "1"));
    assertRejected(a, () -> a.fail(Map.of("traceback", "2")));
  }

  @Test
  default void attemptRetryAfterFailIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.fail(null);
    assertRejected(a, () -> a.retry(null, null));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.FAILED);
  }

  @Test
  default void attemptExpireAfterFailIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.fail(null);
    assertRejected(a, () -> a.expire(null));
  }

  @Test
  default void attemptRenewAfterFailIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.fail(null);
    assertRejected(a, () -> a.renew(LEASE, null));
  }

  // ---- retryable ----

  @Test
  default void attemptFinishAfterRetryIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, null);
    assertRejected(a, () -> a.finish(Map.of("x", 1)));
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void attemptFailAfterRetryIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, null);
    assertRejected(a, () -> a.fail(null));
  }

  @Test
  default void attemptRetryTwiceIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, null);
    assertRejected(a, () -> a.retry(null, Duration.ofHours(1)));
    assertThat(a.workUnit().meta().notBefore()).isNotEqualTo(now().plus(Duration.ofHours(1)));
  }

  @Test
  default void attemptExpireAfterRetryIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, null);
    assertRejected(a, () -> a.expire(null));
  }

  @Test
  default void attemptRenewAfterRetryIsRejected() {
    Attempt a = pendingAttempt(LEASE);
    a.retry(null, null);
    assertRejected(a, () -> a.renew(LEASE, null));
  }

  // ---- data ----

  @Test
  default void attemptNullDataKeepsRecordedData() {
    Attempt a = pendingAttempt(LEASE);
    a.renew(LEASE, Map.of("progress", 1));
    a.renew(LEASE, null);
    assertThat(a.data()).isEqualTo(Map.of("progress", 1L));
    a.finish(null);
    assertThat(a.data()).isEqualTo(Map.of("progress", 1L));
    assertThat(a.workUnit().data()).isEqualTo(Map.of("progress", 1L));
  }

  @Test
  default void attemptFinishDataReplacesRatherThanMerges() {
    Attempt a = pendingAttempt(LEASE);
    a.renew(LEASE, Map.of("progress", 1));
    a.finish(Map.of("output", Map.of()));
    assertThat(a.data()).isEqualTo(Map.of("output", Map.of()));
  }

  @Test
  default void attemptUnitDataFollowsActiveAttempt() {
    WorkSpec spec = spec(namespace(), "a");
    WorkUnit u = spec.addWorkUnit(key("u"), Map.of("input", "x"), WorkUnitMeta.DEFAULT);
    assertThat(u.data()).isEqualTo(Map.of("input", "x"));

    Attempt a = leaseOne(namespace().worker("w1"), "a");
    assertThat(u.data()).isEqualTo(Map.of("input", "x"));
    assertThat(a.data()).isEqualTo(Map.of("input", "x"));

    a.renew(LEASE, Map.of("input", "x", "progress", 3));
    assertThat(u.data()).isEqualTo(Map.of("input", "x", "progress", 3L));

    a.fail(Map.of("traceback", "oops"));
    assertThat(u.data()).isEqualTo(Map.of("traceback", "oops"));
    assertThat(spec.workUnit(key("u")).data()).isEqualTo(Map.of("traceback", "oops"));
  }

  @Test
  default void attemptDataAndReturnedMapsAreNormalizedAndImmutable() {
    Attempt a = pendingAttempt(LEASE);
    a.renew(LEASE, Map.of("n", 7, "b", new byte[] {1, 2}));
    Map<String, Object> data = a.data();
    assertThat(data.get("n")).isEqualTo(7L);
    assertThat(data.get("b")).isEqualTo(ByteString.copyOf(new byte[] {1, 2}));
    assertThatThrownBy(() -> data.put("x", 1L)).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- active attempt, history, makeAttempt ----

  @Test
  default void attemptClearActiveAttemptMakesUnitAvailable() {
    Attempt a = pendingAttempt(LEASE);
    a.renew(LEASE, Map.of("progress", 1));
    WorkUnit u = a.workUnit();
    u.clearActiveAttempt();

    assertThat(u.activeAttempt()).isEmpty();
    assertThat(u.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(u.data()).isEqualTo(Map.of("key", "u"));
    assertThat(u.attempts()).hasSize(1);
    assertThat(u.workSpec().meta(true).pendingCount()).isZero();

    Attempt b = leaseOne(namespace().worker("w2"), "a");
    assertThat(b.workUnit().key()).isEqualTo(key("u"));
    assertThatThrownBy(() -> a.renew(LEASE, null)).isInstanceOf(LostLeaseException.class);
    assertThat(activeWorker(u)).isEqualTo("w2");
  }

  @Test
  default void attemptMakeAttemptOnFinishedUnit() {
    Attempt first = pendingAttempt(LEASE);
    first.finish(null);
    WorkUnit u = first.workUnit();

    clock().advance(Duration.ofSeconds(1));
    Attempt forced = namespace().worker("w2").makeAttempt(u, Duration.ofMinutes(2));
    assertThat(forced.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(forced.startTime()).isEqualTo(now());
    assertThat(forced.expirationTime()).isEqualTo(now().plus(Duration.ofMinutes(2)));
    assertThat(u.status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(activeWorker(u)).isEqualTo("w2");
    assertThat(workersOf(u.attempts())).containsExactly("w1", "w2");
    assertThat(first.status()).isEqualTo(AttemptStatus.FINISHED);

    forced.fail(null);
    assertThat(u.status()).isEqualTo(WorkUnitStatus.FAILED);
  }

  @Test
  default void attemptMakeAttemptTakesOverPendingUnit() {
    Attempt first = pendingAttempt(LEASE);
    WorkUnit u = first.workUnit();
    Attempt forced = namespace().worker("w2").makeAttempt(u, LEASE);

    assertThat(activeWorker(u)).isEqualTo("w2");
    assertThat(u.status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThatThrownBy(() -> first.renew(LEASE, Map.of("p", 1)))
        .isInstanceOf(LostLeaseException.class);
    assertThat(first.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThatThrownBy(() -> first.finish(null)).isInstanceOf(NotPendingException.class);
    assertThat(forced.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(u.workSpec().meta(true).pendingCount()).isEqualTo(1);
  }

  @Test
  default void attemptHistoryIsOldestFirst() {
    WorkSpec spec = spec(namespace(), "a");
    WorkUnit u = unit(spec, "u");
    leaseOne(namespace().worker("w1"), "a").expire(null);
    clock().advance(Duration.ofSeconds(1));
    leaseOne(namespace().worker("w2"), "a").retry(null, null);
    clock().advance(Duration.ofSeconds(1));
    leaseOne(namespace().worker("w3"), "a");

    assertThat(workersOf(u.attempts())).containsExactly("w1", "w2", "w3");
    assertThat(u.attempts().stream().map(Attempt::status))
        .containsExactly(AttemptStatus.EXPIRED, AttemptStatus.RETRYABLE, AttemptStatus.PENDING);
    assertThat(u.attempts().stream().map(Attempt::startTime))
        .containsExactly(
            MutableClock.START, MutableClock.START.plusSeconds(1), MutableClock.START.plusSeconds(2));
    assertThat(activeWorker(u)).isEqualTo("w3");
  }

  // ---- expiry by the clock alone ----

  @Test
  default void attemptStillPendingJustBeforeExpiration() {
    Attempt a = pendingAttempt(Duration.ofMinutes(1));
    clock().advance(Duration.ofSeconds(59));
    assertThat(a.status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(a.workUnit().status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(namespace().worker("w2").requestAttempts(from("a", 1))).isEmpty();
  }

  @Test
  default void attemptExpiresByClockWithoutAnyCall() {
    WorkSpec spec = spec(namespace(), "a");
    unit(spec, "u1");
    unit(spec, "u2");
    Worker w = namespace().worker("w1");
    Attempt a = leaseOne(w, "a", Duration.ofMinutes(1));
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.PENDING)).isEqualTo(1);

    clock().advance(Duration.ofSeconds(61));

    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.PENDING)).isZero();
    assertThat(spec.countWorkUnitStatus().get(WorkUnitStatus.AVAILABLE)).isEqualTo(2);
    assertThat(spec.meta(true).pendingCount()).isZero();
    assertThat(spec.meta(true).availableCount()).isEqualTo(2);
    assertThat(spec.workUnit(key("u1")).status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(unitKeysWith(spec, WorkUnitStatus.AVAILABLE)).containsExactly("u1", "u2");
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(w.activeAttempts()).isEmpty();
    assertThat(keysOf(w.allAttempts())).containsExactly("u1");
  }

  @Test
  default void attemptExpiredByClockIsHandedOutAgain() {
    Attempt a = pendingAttempt(Duration.ofMinutes(1));
    Worker w2 = namespace().worker("w2");
    assertThat(w2.requestAttempts(from("a", 1))).isEmpty();
    clock().advance(Duration.ofMinutes(2));

    Attempt b = leaseOne(w2, "a");
    assertThat(b.workUnit().key()).isEqualTo(key("u"));
    assertThat(b.startTime()).isEqualTo(now());
    assertThat(activeWorker(b.workUnit())).isEqualTo("w2");
    assertThat(a.status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(b.status()).isEqualTo(AttemptStatus.PENDING);
  }

  // ---- gone ----

  @Test
  default void attemptGoneAfterUnitDeleted() {
    WorkSpec spec = spec(namespace(), "a");
    unit(spec, "u");
    unit(spec, "v");
    Worker w = namespace().worker("w1");
    Attempt a = leaseOne(w, "a");
    Attempt b = leaseOne(w, "a");
    assertThat(spec.deleteWorkUnits(WorkUnitQuery.keys(key("u")))).isEqualTo(1);

    assertThatThrownBy(a::status).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> a.finish(null)).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> a.renew(LEASE, null)).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> a.fail(null)).isInstanceOf(GoneException.class);
    assertThat(keysOf(w.activeAttempts())).containsExactly("v");
    assertThat(keysOf(w.allAttempts())).containsExactly("v");
    assertThat(b.status()).isEqualTo(AttemptStatus.PENDING);
  }

  @Test
  default void attemptGoneAfterSpecDestroyed() {
    WorkSpec a = spec(namespace(), "a");
    WorkSpec other = spec(namespace(), "b");
    unit(a, "u");
    unit(other, "v");
    Worker w = namespace().worker("w1");
    Attempt doomed = leaseOne(w, "a");
    Attempt kept = leaseOne(w, "b");
    namespace().destroyWorkSpec("a");

    assertThatThrownBy(doomed::data).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> doomed.expire(null)).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> doomed.retry(null, null)).isInstanceOf(GoneException.class);
    assertThat(keysOf(w.activeAttempts())).containsExactly("v");
    assertThat(keysOf(w.allAttempts())).containsExactly("v");
    assertThat(kept.status()).isEqualTo(AttemptStatus.PENDING);
  }

  @Test
  default void attemptGoneAfterNamespaceDestroyed() {
    Attempt a = pendingAttempt(LEASE);
    namespace().destroy();
    assertThatThrownBy(a::status).isInstanceOf(GoneException.class);
    assertThatThrownBy(() -> a.finish(null)).isInstanceOf(GoneException.class);
  }
}
