package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupport.addUnit;
import static io.coordinate.api.conformance.KitSupport.key;
import static io.coordinate.api.conformance.KitSupport.leaseOne;
import static io.coordinate.api.conformance.KitSupport.map;
import static io.coordinate.api.conformance.KitSupport.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.GoneException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.data.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Maintenance mode and the two halves of export and import: snapshots read units in one piece with
 * their active attempt, and restoring snapshots recreates the units as they were.
 */
public interface TransferContract extends KitFixture {

  @Test
  default void maintenanceIsOffInANewStore() {
    assertThat(coordinate().maintenance().on()).isFalse();
    assertThat(coordinate().maintenance().reason()).isEmpty();
    assertThat(coordinate().maintenance().since()).isNull();
  }

  @Test
  default void maintenanceTurnsOnWithItsReasonForTheWholeStoreAndOffAgain() {
    coordinate().setMaintenance(true, "moving to a new database");
    MaintenanceState on = sameStore().maintenance();
    assertThat(on.on()).isTrue();
    assertThat(on.reason()).isEqualTo("moving to a new database");
    assertThat(on.since()).isEqualTo(clock().instant());

    clock().advance(Duration.ofMinutes(5));
    sameStore().setMaintenance(false, "ignored when turning it off");
    MaintenanceState off = coordinate().maintenance();
    assertThat(off.on()).isFalse();
    assertThat(off.reason()).isEmpty();
    assertThat(off.since()).isEqualTo(clock().instant());
  }

  @Test
  default void snapshotsReadEachUnitWithItsDataMetaStatusAndActiveAttempt() {
    WorkSpec s = spec(namespace(), "s");
    Instant later = clock().instant().plus(Duration.ofHours(1));
    s.addWorkUnit(key("a-available"), map("n", 1L), WorkUnitMeta.ofPriority(0));
    s.addWorkUnit(key("b-finished"), map("n", 2L), WorkUnitMeta.ofPriority(0));
    s.addWorkUnit(key("c-failed"), map("n", 3L), WorkUnitMeta.ofPriority(0));
    s.addWorkUnit(key("d-pending"), map("n", 4L), WorkUnitMeta.ofPriority(0));
    s.addWorkUnit(key("e-delayed"), map("n", 5L), new WorkUnitMeta(2.5, later));
    Worker w = namespace().worker("w1");
    Instant leasedAt = clock().instant();
    ByteString raw = ByteString.copyOf(new byte[] {0, (byte) 255});
    finishOrFail(w, s, "b-finished", true, map("result", "done", "raw", raw));
    finishOrFail(w, s, "c-failed", false, map("traceback", "Traceback: boom"));
    Attempt pending = leaseKey(w, s, "d-pending");

    Map<String, WorkUnitSnapshot> byKey = byKey(s.workUnitSnapshots(WorkUnitQuery.all()));
    assertThat(byKey.keySet())
        .containsExactly("a-available", "b-finished", "c-failed", "d-pending", "e-delayed");

    WorkUnitSnapshot a = byKey.get("a-available");
    assertThat(a.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(a.data()).isEqualTo(map("n", 1L));
    assertThat(a.lastAttempt()).isNull();

    WorkUnitSnapshot b = byKey.get("b-finished");
    assertThat(b.status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(b.data()).as("the data the unit was added with").isEqualTo(map("n", 2L));
    assertThat(b.lastAttempt().worker()).isEqualTo("w1");
    assertThat(b.lastAttempt().status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(b.lastAttempt().data())
        .isEqualTo(map("result", "done", "raw", raw));
    assertThat(b.lastAttempt().startTime()).isEqualTo(leasedAt);
    assertThat(b.lastAttempt().endTime()).isEqualTo(leasedAt);

    WorkUnitSnapshot c = byKey.get("c-failed");
    assertThat(c.status()).isEqualTo(WorkUnitStatus.FAILED);
    assertThat(c.lastAttempt().status()).isEqualTo(AttemptStatus.FAILED);
    assertThat(c.lastAttempt().data()).containsEntry("traceback", "Traceback: boom");

    WorkUnitSnapshot d = byKey.get("d-pending");
    assertThat(d.status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(d.lastAttempt().status()).isEqualTo(AttemptStatus.PENDING);
    assertThat(d.lastAttempt().endTime()).isNull();
    assertThat(d.lastAttempt().expirationTime()).isEqualTo(pending.expirationTime());

    WorkUnitSnapshot e = byKey.get("e-delayed");
    assertThat(e.status()).isEqualTo(WorkUnitStatus.DELAYED);
    assertThat(e.meta()).isEqualTo(new WorkUnitMeta(2.5, later));
  }

  @Test
  default void snapshotsPageInKeyOrderAndFilterByStatus() {
    WorkSpec s = spec(namespace(), "s");
    for (int i = 0; i < 25; i++) {
      addUnit(s, String.format("k%02d", i));
    }
    finishOrFail(namespace().worker("w"), s, "k07", true, map());
    List<String> seen = new ArrayList<>();
    WorkUnitKey after = null;
    for (int page = 0; page < 10; page++) {
      List<WorkUnitSnapshot> got =
          s.workUnitSnapshots(WorkUnitQuery.all().withAfter(after).withLimit(10));
      if (got.isEmpty()) {
        break;
      }
      got.forEach(u -> seen.add(u.key().toString()));
      after = got.get(got.size() - 1).key();
    }
    assertThat(seen).hasSize(25).isSorted();
    assertThat(s.workUnitSnapshots(WorkUnitQuery.statuses(WorkUnitStatus.FINISHED)))
        .extracting(u -> u.key().toString())
        .containsExactly("k07");
  }

  @Test
  default void restoringSnapshotsRecreatesTheUnitsAsTheyWere() {
    WorkSpec from = spec(namespace(), "from");
    Instant later = clock().instant().plus(Duration.ofHours(1));
    from.addWorkUnit(key("available"), map("n", 1L), WorkUnitMeta.ofPriority(3));
    from.addWorkUnit(key("delayed"), map("n", 2L), new WorkUnitMeta(0, later));
    from.addWorkUnit(key("finished"), map("n", 3L), WorkUnitMeta.ofPriority(1));
    from.addWorkUnit(key("failed"), map("n", 4L), WorkUnitMeta.ofPriority(0));
    from.addWorkUnit(key("pending"), map("n", 5L), WorkUnitMeta.ofPriority(0));
    Worker w = namespace().worker("w1");
    finishOrFail(w, from, "finished", true, map("out", 1L));
    finishOrFail(namespace().worker("w2"), from, "failed", false, map("traceback", "tb"));
    Attempt pending = leaseKey(w, from, "pending");
    List<WorkUnitSnapshot> snapshots = from.workUnitSnapshots(WorkUnitQuery.all());

    Namespace copyNs = coordinate().namespace("kit-copy");
    WorkSpec to = spec(copyNs, "from");
    restore(to, snapshots);

    for (WorkUnitSnapshot original : snapshots) {
      WorkUnit restored = to.workUnit(original.key());
      assertThat(restored.meta()).as(original.key().toString()).isEqualTo(original.meta());
      WorkUnitStatus expected =
          original.status() == WorkUnitStatus.PENDING ? WorkUnitStatus.AVAILABLE : original.status();
      assertThat(restored.status()).as(original.key().toString()).isEqualTo(expected);
      assertThat(restored.data())
          .as(original.key().toString())
          .isEqualTo(from.workUnit(original.key()).data());
    }
    Attempt finished = to.workUnit(key("finished")).activeAttempt().orElseThrow();
    assertThat(finished.status()).isEqualTo(AttemptStatus.FINISHED);
    assertThat(finished.worker().name()).isEqualTo("w1");
    assertThat(finished.data()).isEqualTo(map("out", 1L));
    assertThat(to.workUnit(key("failed")).activeAttempt().orElseThrow().worker().name())
        .isEqualTo("w2");
    Attempt wasPending = to.workUnit(key("pending")).activeAttempt().orElseThrow();
    assertThat(wasPending.status())
        .as("a lease does not survive a move")
        .isEqualTo(AttemptStatus.EXPIRED);
    assertThat(wasPending.endTime()).contains(pending.expirationTime());
    assertThat(to.workUnit(key("available")).activeAttempt()).isEmpty();
    assertThat(copyNs.worker("w1").isActive()).as("a restored worker is not running").isFalse();
    assertThat(KitSupport.counts(to))
        .containsEntry(WorkUnitStatus.AVAILABLE, 2L)
        .containsEntry(WorkUnitStatus.DELAYED, 1L)
        .containsEntry(WorkUnitStatus.FINISHED, 1L)
        .containsEntry(WorkUnitStatus.FAILED, 1L);

    // The restored available units are leased like any other; the finished one never is.
    List<String> leased = new ArrayList<>();
    Worker worker = copyNs.worker("restored-worker");
    for (Attempt a : worker.requestAttempts(AttemptRequest.of(10))) {
      leased.add(a.workUnit().key().toString());
    }
    assertThat(leased).containsExactlyInAnyOrder("available", "pending");
  }

  @Test
  default void restoringTheSameSnapshotsTwiceLeavesTheUnitsAsOnce() {
    WorkSpec from = spec(namespace(), "from");
    addUnit(from, "a", map("n", 1L));
    addUnit(from, "b", map("n", 2L));
    finishOrFail(namespace().worker("w"), from, "b", true, map("out", 2L));
    List<WorkUnitSnapshot> snapshots = from.workUnitSnapshots(WorkUnitQuery.all());
    WorkSpec to = spec(coordinate().namespace("kit-copy"), "to");

    restore(to, snapshots);
    restore(to, snapshots);

    List<WorkUnitSnapshot> again = to.workUnitSnapshots(WorkUnitQuery.all());
    assertThat(again).hasSize(2);
    for (int i = 0; i < 2; i++) {
      assertThat(again.get(i).key()).isEqualTo(snapshots.get(i).key());
      assertThat(again.get(i).data()).isEqualTo(snapshots.get(i).data());
      assertThat(again.get(i).status()).isEqualTo(snapshots.get(i).status());
      assertThat(again.get(i).lastAttempt()).isEqualTo(snapshots.get(i).lastAttempt());
    }
  }

  @Test
  default void restoringReplacesAUnitThatIsLeasedAndItsLeaseIsLost() {
    WorkSpec s = spec(namespace(), "s");
    addUnit(s, "u", map("v", 1L));
    Attempt lease = leaseOne(namespace().worker("w"));
    WorkUnitSnapshot done =
        new WorkUnitSnapshot(
            key("u"),
            map("v", 2L),
            WorkUnitMeta.DEFAULT,
            WorkUnitStatus.FINISHED,
            new WorkUnitSnapshot.LastAttempt(
                "elsewhere", AttemptStatus.FINISHED, map("out", 9L),
                clock().instant(), clock().instant(), clock().instant()));

    restore(s, List.of(done));

    assertThat(s.workUnit(key("u")).status()).isEqualTo(WorkUnitStatus.FINISHED);
    assertThat(s.workUnit(key("u")).data()).isEqualTo(map("out", 9L));
    assertThat(lease.state().status()).isEqualTo(AttemptStatus.EXPIRED);
    assertThat(namespace().worker("w").activeAttempts()).isEmpty();
  }

  @Test
  default void restoringIntoADestroyedSpecIsGoneAndAddsNothing() {
    WorkSpec s = spec(namespace(), "s");
    namespace().destroyWorkSpec("s");
    List<WorkUnitSnapshot> one =
        List.of(
            new WorkUnitSnapshot(
                key("u"), map(), WorkUnitMeta.DEFAULT, WorkUnitStatus.AVAILABLE, null));
    // A handle that follows its name finds no spec of that name instead.
    assertThatThrownBy(() -> restore(s, one))
        .isInstanceOfAny(GoneException.class, NoSuchWorkSpecException.class);
    assertThat(namespace().workSpecNames()).doesNotContain("s");
  }

  /**
   * Restores as an import does, in maintenance mode (which a daemon requires for it and which
   * stops it from leasing meanwhile), and turns maintenance off again.
   */
  private void restore(WorkSpec spec, List<WorkUnitSnapshot> units) {
    coordinate().setMaintenance(true, "restoring");
    try {
      spec.restoreWorkUnits(units);
    } finally {
      coordinate().setMaintenance(false, "");
    }
  }

  private static void finishOrFail(
      Worker w, WorkSpec s, String unitKey, boolean finish, Map<String, ?> data) {
    Attempt a = leaseKey(w, s, unitKey);
    if (finish) {
      a.finish(data);
    } else {
      a.fail(data);
    }
  }

  /** Makes an attempt at exactly this unit (the scheduler would pick by priority). */
  private static Attempt leaseKey(Worker w, WorkSpec s, String unitKey) {
    return w.makeAttempt(s.workUnit(key(unitKey)), Duration.ofMinutes(15));
  }

  private static Map<String, WorkUnitSnapshot> byKey(List<WorkUnitSnapshot> units) {
    return units.stream()
        .collect(
            Collectors.toMap(
                u -> u.key().toString(),
                Function.identity(),
                (x, y) -> x,
                LinkedHashMap::new));
  }
}
