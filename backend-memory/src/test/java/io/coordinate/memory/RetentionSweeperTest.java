package io.coordinate.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.Coordinate;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.retention.RetentionSweeper;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link RetentionSweeper} on its own thread: it sweeps every namespace each interval, lives through
 * a backend that fails for a while, skips a store in maintenance mode, and stops when closed.
 */
class RetentionSweeperTest {
  private final MutableClock clock = new MutableClock();
  private final MemoryCoordinate memory = MemoryCoordinate.create(clock);
  /** How many of the next namespace listings fail, as a database outage would. */
  private final AtomicInteger failuresToCome = new AtomicInteger();

  /** The memory backend, but {@link #namespaceNames} fails while failures are to come. */
  private final Coordinate flaky =
      new Coordinate() {
        @Override
        public Namespace namespace(String name) {
          return memory.namespace(name);
        }

        @Override
        public List<String> namespaceNames() {
          if (failuresToCome.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new BackendUnavailableException("cannot reach database test: connection refused");
          }
          return memory.namespaceNames();
        }

        @Override
        public MaintenanceState maintenance() {
          return memory.maintenance();
        }

        @Override
        public void setMaintenance(boolean on, String reason) {
          memory.setMaintenance(on, reason);
        }

        @Override
        public void close() {
          memory.close();
        }
      };

  private final List<String> told = new CopyOnWriteArrayList<>();
  private final RetentionSweeper.Listener listener =
      new RetentionSweeper.Listener() {
        @Override
        public void archived(String namespace, String workSpec, int units) {
          told.add("archived " + namespace + "/" + workSpec + " " + units);
        }

        @Override
        public void failed(RuntimeException failure) {
          told.add("failed " + failure.getMessage());
        }

        @Override
        public void skippedForMaintenance() {
          told.add("skipped");
        }
      };

  private RetentionSweeper sweeper;

  @AfterEach
  void stop() {
    if (sweeper != null) {
      sweeper.close();
    }
    memory.close();
  }

  private WorkSpec specWithFinishedUnits(String namespace, int n) {
    Namespace ns = memory.namespace(namespace);
    WorkSpec s = ns.setWorkSpec(Map.of("name", "s", "retain_finished_count", 1));
    Worker w = ns.worker("w");
    for (int i = 0; i < n; i++) {
      WorkUnit u = s.addWorkUnit(WorkUnitKey.of("u" + i), Map.of(), WorkUnitMeta.DEFAULT);
      w.makeAttempt(u, Duration.ofMinutes(1)).finish(null);
      clock.advance(Duration.ofSeconds(1));
    }
    return s;
  }

  private static long finished(WorkSpec s) {
    return s.countWorkUnitStatus().get(WorkUnitStatus.FINISHED);
  }

  private static void await(String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime() < deadline).as(what).isTrue();
      Thread.sleep(10);
    }
  }

  @Test
  void sweepsEveryNamespaceEachIntervalAndOutlivesFailures() throws Exception {
    WorkSpec a = specWithFinishedUnits("a", 5);
    WorkSpec b = specWithFinishedUnits("b", 3);
    failuresToCome.set(2);
    sweeper = new RetentionSweeper(flaky, Duration.ofMillis(20), 2, listener).start();
    await("both namespaces swept", () -> finished(a) == 1 && finished(b) == 1);
    assertThat(told.subList(0, 2)).containsOnly(
        "failed cannot reach database test: connection refused");
    assertThat(told.subList(2, told.size())).containsExactly(
        "archived a/s 2", "archived a/s 2", "archived b/s 2");

    // Later sweeps find more work as units finish.
    Worker w = memory.namespace("a").worker("w");
    WorkUnit late = a.addWorkUnit(WorkUnitKey.of("late"), Map.of(), WorkUnitMeta.DEFAULT);
    clock.advance(Duration.ofSeconds(1));
    w.makeAttempt(late, Duration.ofMinutes(1)).finish(null);
    await("the newer unit pushed the older one out", () -> finished(a) == 1
        && a.workUnits(io.coordinate.api.WorkUnitQuery.all()).get(0).key().toString()
            .equals("late"));
  }

  @Test
  void aStoreInMaintenanceIsNotSwept() {
    WorkSpec s = specWithFinishedUnits("a", 4);
    sweeper = new RetentionSweeper(flaky, Duration.ofHours(1), 10, listener);
    memory.setMaintenance(true, "export");
    assertThat(sweeper.sweepAll()).isEqualTo(new RetentionSweeper.Totals(0, 0));
    assertThat(told).containsExactly("skipped");
    assertThat(finished(s)).isEqualTo(4);
    memory.setMaintenance(false, "");
    assertThat(sweeper.sweepAll()).isEqualTo(new RetentionSweeper.Totals(3, 1));
    assertThat(finished(s)).isEqualTo(1);
  }

  @Test
  void aClosedSweeperSweepsNoMore() throws Exception {
    WorkSpec s = specWithFinishedUnits("a", 3);
    sweeper = new RetentionSweeper(flaky, Duration.ofMillis(20), 10, listener).start();
    await("swept", () -> finished(s) == 1);
    sweeper.close();
    specWithFinishedUnits("a", 3); // the same keys again, finished anew: 3 finished
    Thread.sleep(200);
    assertThat(finished(s)).isEqualTo(3);
    assertThatThrownBy(sweeper::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void badSettingsAreRefused() {
    assertThatThrownBy(() -> new RetentionSweeper(memory, Duration.ZERO, 10, listener))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RetentionSweeper(memory, Duration.ofSeconds(1), 0, listener))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> RetentionSweeper.sweep(memory.namespace("x"), -1, listener))
        .isInstanceOf(InvalidRequestException.class);
  }
}
