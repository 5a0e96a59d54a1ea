package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.sql.TestStores.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link SqlCoordinate#statementsExecuted()} counts the statements calls run: each call adds what
 * it executed, a bulk COPY counts as one statement, and concurrent calls lose no count.
 */
class StatementCountTest {
  @RegisterExtension final TestStores stores = new TestStores();

  private SqlCoordinate backendWithSpec(Store store) {
    SqlCoordinate c = stores.open(store.config(stores));
    c.namespace("n").setWorkSpec(Map.of("name", "s"));
    return c;
  }

  /** The statements {@code call} executed on {@code c}, with nothing else running. */
  private static long cost(SqlCoordinate c, Runnable call) {
    long before = c.statementsExecuted();
    call.run();
    return c.statementsExecuted() - before;
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void everyCallCountsTheStatementsItRan(Store store) {
    SqlCoordinate c = backendWithSpec(store);

    assertThat(cost(c, () -> c.namespace("n"))).isBetween(1L, 5L);
    assertThat(cost(c, () -> c.namespace("n").workSpec("s"))).isBetween(2L, 10L);
    WorkSpec spec = c.namespace("n").workSpec("s");
    assertThat(cost(c, () -> spec.addWorkUnit(WorkUnitKey.of("u"), Map.of("k", 1L), null)))
        .isBetween(1L, 20L);
    assertThat(cost(c, () -> spec.workUnit(WorkUnitKey.of("u")).data())).isPositive();
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void aBulkAddCostsTheSameWhetherOrNotItCopies(Store store) {
    SqlCoordinate c = backendWithSpec(store);
    WorkSpec spec = c.namespace("n").workSpec("s");
    // On PostgreSQL the larger batch is one COPY in place of the smaller batch's one INSERT.
    long belowCopy = cost(c, () -> spec.addWorkUnits(units("a", PgUnitCopy.MIN_UNITS - 1)));
    long copied = cost(c, () -> spec.addWorkUnits(units("b", PgUnitCopy.MIN_UNITS)));

    assertThat(belowCopy).isPositive();
    assertThat(copied).isEqualTo(belowCopy);
    assertThat(spec.countWorkUnitStatus().total()).isEqualTo(2L * PgUnitCopy.MIN_UNITS - 1);
  }

  @ParameterizedTest
  @EnumSource(Store.class)
  void concurrentCallsAllCountAndTheCountNeverGoesBack(Store store) throws Exception {
    SqlCoordinate c = backendWithSpec(store);
    Runnable lookup = () -> c.namespace("n").workSpec("s");
    long one = cost(c, lookup);
    int threads = 8;
    int calls = 25;

    long before = c.statementsExecuted();
    Threads.run(
        threads,
        Duration.ofSeconds(60),
        id -> {
          long seen = c.statementsExecuted();
          for (int i = 0; i < calls; i++) {
            lookup.run();
            long now = c.statementsExecuted();
            // At least this thread's own statements; others' only add to them.
            assertThat(now - seen).isGreaterThanOrEqualTo(one);
            seen = now;
          }
        });

    assertThat(one).isPositive();
    assertThat(c.statementsExecuted() - before).isEqualTo(threads * calls * one);
  }

  private static List<NewWorkUnit> units(String prefix, int n) {
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      units.add(NewWorkUnit.of(prefix + i, Map.of("i", (long) i)));
    }
    return units;
  }
}
