package io.coordinate.api.conformance;

import static io.coordinate.api.conformance.KitSupportB.LEASE;
import static io.coordinate.api.conformance.KitSupportB.from;
import static io.coordinate.api.conformance.KitSupportB.key;
import static io.coordinate.api.conformance.KitSupportB.spec;
import static io.coordinate.api.conformance.KitSupportB.unit;
import static io.coordinate.api.conformance.KitSupportB.unitKeys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.retention.RetentionSweeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retention ({@code retain_*}; see {@link Retention}) and {@link WorkSpec#archive}: finished and
 * failed units beyond the policy go, the earliest ended first, with their attempts; nothing else is
 * touched.
 */
public interface RetentionContract extends KitFixture {

  private Worker worker() {
    return namespace().worker("w");
  }

  /** Adds and finishes a unit now, through a forced attempt. */
  private WorkUnit finished(WorkSpec spec, String key) {
    WorkUnit u = unit(spec, key);
    worker().makeAttempt(u, LEASE).finish(null);
    return u;
  }

  /** Adds and fails a unit now. */
  private WorkUnit failed(WorkSpec spec, String key) {
    WorkUnit u = unit(spec, key);
    worker().makeAttempt(u, LEASE).fail(null);
    return u;
  }

  private static List<String> keys(WorkSpec spec) {
    return unitKeys(spec.workUnits(WorkUnitQuery.all()));
  }

  @Test
  default void retentionMetaComesFromTheDefinitionAndSetMeta() {
    WorkSpec s =
        spec(namespace(), "s", "retain_finished_seconds", 60, "retain_finished_count", 5,
            "retain_failed_seconds", 1.5, "retain_failed_count", 2);
    assertThat(s.meta(false).retention())
        .isEqualTo(new Retention(Duration.ofMinutes(1), 5, Duration.ofMillis(1500), 2));
    s.setMeta(s.meta(false).withRetention(Retention.NONE.withFailedCount(9)));
    assertThat(s.meta(false).retention()).isEqualTo(Retention.NONE.withFailedCount(9));
    assertThat(spec(namespace(), "plain").meta(false).retention()).isEqualTo(Retention.NONE);
    assertThatThrownBy(() -> spec(namespace(), "bad", "retain_failed_count", -1))
        .isInstanceOf(InvalidWorkSpecException.class);
  }

  @Test
  default void retentionWithoutAPolicyArchivesNothing() {
    WorkSpec s = spec(namespace(), "s");
    finished(s, "a");
    failed(s, "b");
    clock().advance(Duration.ofDays(3650));
    assertThat(s.archive(100)).isZero();
    assertThat(keys(s)).containsExactly("a", "b");
  }

  @Test
  default void retentionDurationDeletesOnlyUnitsThatEndedLongEnoughAgo() {
    WorkSpec s = spec(namespace(), "s", "retain_finished_seconds", 3600);
    finished(s, "old");
    clock().advance(Duration.ofMinutes(30));
    finished(s, "young");
    unit(s, "waiting");
    clock().advance(Duration.ofMinutes(30));
    assertThat(s.archive(100)).as("exactly an hour is not older than an hour").isZero();
    clock().advance(Duration.ofSeconds(1));
    assertThat(s.archive(100)).isEqualTo(1);
    assertThat(keys(s)).containsExactly("waiting", "young");
    assertThat(s.archive(100)).isZero();
    clock().advance(Duration.ofMinutes(30));
    assertThat(s.archive(100)).isEqualTo(1);
    assertThat(keys(s)).containsExactly("waiting");
  }

  @Test
  default void retentionCountKeepsTheMostRecentlyEnded() {
    WorkSpec s = spec(namespace(), "s", "retain_finished_count", 2);
    // Ended in the order c, a, d, b, e: the keys' order is not the end order.
    for (String k : List.of("c", "a", "d", "b", "e")) {
      finished(s, k);
      clock().advance(Duration.ofSeconds(1));
    }
    assertThat(s.archive(100)).isEqualTo(3);
    assertThat(keys(s)).containsExactly("b", "e");
    assertThat(s.archive(100)).isZero();
  }

  @Test
  default void retentionFailedPolicyIsSeparateFromFinished() {
    WorkSpec s = spec(namespace(), "s", "retain_failed_count", 1);
    finished(s, "f1");
    failed(s, "x1");
    clock().advance(Duration.ofSeconds(1));
    finished(s, "f2");
    failed(s, "x2");
    clock().advance(Duration.ofDays(400));
    assertThat(s.archive(100)).isEqualTo(1);
    assertThat(keys(s)).containsExactly("f1", "f2", "x2");

    s.setMeta(s.meta(false).withRetention(Retention.NONE.withFinishedFor(Duration.ofDays(1))));
    assertThat(s.archive(100)).isEqualTo(2);
    assertThat(keys(s)).containsExactly("x2");
  }

  @Test
  default void retentionBothBoundsApplyTogether() {
    WorkSpec s =
        spec(namespace(), "s", "retain_finished_seconds", 100, "retain_finished_count", 5);
    for (int i = 0; i < 6; i++) {
      finished(s, "u" + i);
      clock().advance(Duration.ofSeconds(30));
    }
    // Ended 180, 150, 120, 90, 60 and 30 s ago: one is beyond the count, three beyond the age.
    assertThat(s.archive(100)).isEqualTo(3);
    assertThat(keys(s)).containsExactly("u3", "u4", "u5");
    // Now the count is the stricter bound.
    s.setMeta(s.meta(false).withRetention(s.meta(false).retention().withFinishedCount(1)));
    assertThat(s.archive(100)).isEqualTo(2);
    assertThat(keys(s)).containsExactly("u5");
  }

  @Test
  default void retentionNeverTouchesUnitsThatHaveNotEnded() {
    WorkSpec s =
        spec(namespace(), "s", "retain_finished_seconds", 1, "retain_failed_seconds", 1,
            "retain_finished_count", 1, "retain_failed_count", 1);
    Worker w = worker();
    unit(s, "available");
    unit(s, "pending");
    w.makeAttempt(s.workUnit(key("pending")), Duration.ofDays(30));
    s.addWorkUnit(
        key("delayed"), Map.of(), WorkUnitMeta.DEFAULT.withNotBefore(
            clock().instant().plus(Duration.ofDays(30))));
    WorkUnit retried = unit(s, "retried");
    w.makeAttempt(retried, LEASE).retry(null, null);
    WorkUnit expired = unit(s, "expired");
    w.makeAttempt(expired, Duration.ofSeconds(1));
    WorkUnit requeued = finished(s, "requeued");
    requeued.clearActiveAttempt();
    WorkUnit readded = finished(s, "readded");
    unit(s, "readded");
    clock().advance(Duration.ofDays(2));

    assertThat(s.archive(100)).isZero();
    assertThat(keys(s))
        .containsExactly("available", "delayed", "expired", "pending", "readded", "requeued",
            "retried");
    assertThat(s.workUnit(key("pending")).status()).isEqualTo(WorkUnitStatus.PENDING);
    assertThat(readded.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  @Test
  default void retentionDeletesTheAttemptsFromTheWorkersHistory() {
    WorkSpec s = spec(namespace(), "s", "retain_finished_count", 1);
    WorkSpec other = spec(namespace(), "other", "retain_finished_count", 1);
    unit(s, "a");
    unit(s, "b");
    unit(other, "o");
    Worker w = worker();
    List<Attempt> first = w.requestAttempts(from("s", 1));
    first.get(0).finish(null);
    clock().advance(Duration.ofSeconds(1));
    w.requestAttempts(from("s", 1)).get(0).finish(null);
    Attempt busy = w.requestAttempts(from("other", 1)).get(0);
    assertThat(w.allAttempts()).hasSize(3);

    assertThat(s.archive(100)).isEqualTo(1);
    assertThat(keys(s)).containsExactly("b");
    List<String> history = new ArrayList<>();
    for (Attempt a : w.allAttempts()) {
      history.add(a.workUnit().key().toString());
    }
    assertThat(history).containsExactlyInAnyOrder("b", "o");
    assertThat(w.activeAttempts()).hasSize(1);
    assertThat(w.activeAttempts().get(0).workUnit().key()).isEqualTo(busy.workUnit().key());
  }

  @Test
  default void retentionArchivesAtMostMaxUnitsTheEarliestEndedFirst() {
    WorkSpec s = spec(namespace(), "s", "retain_failed_seconds", 10);
    for (int i = 9; i >= 0; i--) {
      failed(s, "u" + i);
      clock().advance(Duration.ofSeconds(1));
    }
    clock().advance(Duration.ofMinutes(1));
    assertThat(s.archive(3)).isEqualTo(3);
    assertThat(keys(s)).containsExactly("u0", "u1", "u2", "u3", "u4", "u5", "u6");
    assertThat(s.archive(0)).isZero();
    assertThat(s.archive(3)).isEqualTo(3);
    assertThat(s.archive(3)).isEqualTo(3);
    assertThat(keys(s)).containsExactly("u0");
    assertThat(s.archive(3)).isEqualTo(1);
    assertThat(s.archive(3)).isZero();
    assertThat(s.countWorkUnitStatus().total()).isZero();
    assertThatThrownBy(() -> s.archive(-1)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  default void retentionSweepArchivesEverySpecWithAPolicyInBatches() {
    WorkSpec kept = spec(namespace(), "kept");
    WorkSpec trimmed = spec(namespace(), "trimmed", "retain_finished_count", 2);
    WorkSpec aged = spec(namespace(), "aged", "retain_failed_seconds", 60);
    for (int i = 0; i < 7; i++) {
      finished(kept, "k" + i);
      finished(trimmed, "t" + i);
      failed(aged, "a" + i);
      clock().advance(Duration.ofSeconds(1));
    }
    clock().advance(Duration.ofMinutes(2));
    List<String> batches = new ArrayList<>();
    RetentionSweeper.Totals totals =
        RetentionSweeper.sweep(
            namespace(),
            2,
            new RetentionSweeper.Listener() {
              @Override
              public void archived(String ns, String workSpec, int units) {
                batches.add(workSpec + ":" + units);
              }
            });
    assertThat(totals).isEqualTo(new RetentionSweeper.Totals(12, 2));
    assertThat(batches).containsExactly("aged:2", "aged:2", "aged:2", "aged:1", "trimmed:2",
        "trimmed:2", "trimmed:1");
    assertThat(keys(kept)).hasSize(7);
    assertThat(keys(trimmed)).containsExactly("t5", "t6");
    assertThat(keys(aged)).isEmpty();
  }
}
