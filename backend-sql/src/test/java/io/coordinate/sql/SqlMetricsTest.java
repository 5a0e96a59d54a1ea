package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.AttemptRequest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import io.coordinate.api.UnitEvents.Transition;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.conformance.MutableClock;
import io.coordinate.api.conformance.RecordingUnitEvents;
import io.coordinate.sql.TestStores.Store;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What the SQL backend adds to a meter registry (the pool's and its statement count), and the
 * parts of its unit events that only SQL has: one sweep telling many specs, and nothing told for a
 * transaction that rolls back.
 */
class SqlMetricsTest {
  @RegisterExtension final TestStores stores = new TestStores();

  @ParameterizedTest
  @EnumSource(Store.class)
  void thePoolAndTheStatementCountAreMeteredUntilClosed(Store store) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    SqlCoordinate c = stores.open(store.config(stores).withMeterRegistry(registry));
    c.namespace("n").setWorkSpec(Map.of("name", "s"));

    Gauge open = registry.find("hikaricp.connections").gauge();
    assertThat(open).as("Hikari's open-connections gauge").isNotNull();
    assertThat(open.getId().getTag("pool")).startsWith("coordinate-");
    assertThat(open.value()).isPositive();
    assertThat(registry.find("hikaricp.connections.max").gauge().value())
        .isEqualTo(SqlConfig.DEFAULT_POOL_SIZE);
    assertThat(registry.find("hikaricp.connections.acquire").timer().count()).isPositive();

    FunctionCounter statements = registry.find(SqlStore.STATEMENTS_METER).functionCounter();
    assertThat(statements).isNotNull();
    assertThat((long) statements.count()).isEqualTo(c.statementsExecuted()).isPositive();
    c.namespace("n").workSpec("s").addWorkUnit(WorkUnitKey.of("u"), Map.of(), null);
    assertThat((long) statements.count()).isEqualTo(c.statementsExecuted());

    c.close();
    assertThat(registry.find(SqlStore.STATEMENTS_METER).meters()).isEmpty();
    assertThat(registry.find("hikaricp.connections").meters()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void oneSweepTellsEverySpecItsOwnExpiries(Store store) {
    MutableClock clock = new MutableClock();
    RecordingUnitEvents events = new RecordingUnitEvents();
    SqlCoordinate c =
        stores.open(store.config(stores).withClock(clock).withUnitEvents(events));
    Namespace n = c.namespace("n");
    Namespace other = c.namespace("other");
    WorkSpec s = withUnits(n, "s", 3);
    withUnits(n, "t", 2);
    withUnits(other, "s", 1);
    lease(n, "s", 2);
    lease(n, "t", 1);
    lease(other, "s", 1);

    clock.advance(Duration.ofMinutes(2));
    long before = c.statementsExecuted();
    s.countWorkUnitStatus(); // one call sweeps every expired lease of the database

    assertThat(events.count("n", "s", Transition.EXPIRED)).isEqualTo(2);
    assertThat(events.count("n", "t", Transition.EXPIRED)).isEqualTo(1);
    assertThat(events.count("other", "s", Transition.EXPIRED)).isEqualTo(1);
    // The sweep (probe, lock, two updates), one statement naming the specs, then the count.
    assertThat(c.statementsExecuted() - before).isLessThanOrEqualTo(8);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aTransactionThatRollsBackTellsNothing(Store store) {
    RecordingUnitEvents events = new RecordingUnitEvents();
    try (SqlStore sql = new SqlStore(store.config(stores).withUnitEvents(events))) {
      assertThatThrownBy(
              () ->
                  sql.txRun(
                      (h, now) -> {
                        sql.tell(h, "n", "s", Transition.FINISHED, 1);
                        throw new InvalidRequestException("refused after the change");
                      }))
          .isInstanceOf(InvalidRequestException.class);
      assertThat(events.total(Transition.FINISHED)).isZero();

      sql.txRun((h, now) -> sql.tell(h, "n", "s", Transition.FINISHED, 1));
      assertThat(events.count("n", "s", Transition.FINISHED)).isEqualTo(1);
    }
  }

  private static WorkSpec withUnits(Namespace ns, String name, int units) {
    WorkSpec spec = ns.setWorkSpec(Map.of("name", name));
    for (int i = 0; i < units; i++) {
      spec.addWorkUnit(WorkUnitKey.of(name + i), Map.of(), null);
    }
    return spec;
  }

  private static void lease(Namespace ns, String spec, int units) {
    assertThat(
            ns.worker("w")
                .requestAttempts(
                    AttemptRequest.of(units)
                        .withWorkSpecs(spec)
                        .withLifetime(Duration.ofMinutes(1))))
        .hasSize(units);
  }
}
