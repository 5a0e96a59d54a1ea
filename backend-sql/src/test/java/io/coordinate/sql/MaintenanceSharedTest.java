package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.MaintenanceWatch;
import io.coordinate.sql.TestStores.Store;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Maintenance mode lives in the database: every backend opened on it (every daemon) sees it, a
 * server's {@link MaintenanceWatch} within its refresh interval, and through an outage the last
 * known state stands for all but the caller whose read failed.
 */
class MaintenanceSharedTest {
  @RegisterExtension final TestStores stores = new TestStores();

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void aChangeThroughOneBackendShowsInAnotherWithinTheRefreshInterval(Store store) {
    SqlConfig config = store.config(stores);
    SqlCoordinate first = stores.open(config);
    SqlCoordinate second = stores.open(config);
    AtomicLong nanos = new AtomicLong();
    MaintenanceWatch watch = new MaintenanceWatch(second, Duration.ofSeconds(1), nanos::get);
    assertThat(watch.current().on()).isFalse();

    first.setMaintenance(true, "schema upgrade");
    assertThat(second.maintenance().on()).as("the store itself, at once").isTrue();
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertThat(watch.current().on()).as("the watch, before its interval is over").isFalse();
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    MaintenanceState seen = watch.current();
    assertThat(seen.on()).isTrue();
    assertThat(seen.reason()).isEqualTo("schema upgrade");

    watch.set(false, "");
    assertThat(watch.current().on()).as("a change through the watch shows at once").isFalse();
    assertThat(first.maintenance().on()).isFalse();
  }

  @Test
  void throughAnOutageTheLastKnownStateStands() throws Exception {
    SqlConfig direct = stores.postgresSchema();
    try (SqlTestStores.Proxy proxy = new SqlTestStores.Proxy(direct)) {
      SqlConfig viaProxy = proxy.config().withConnectionTimeout(Duration.ofMillis(500));
      SqlCoordinate coordinate = stores.open(viaProxy);
      coordinate.setMaintenance(true, "moving");
      AtomicLong nanos = new AtomicLong();
      MaintenanceWatch watch = new MaintenanceWatch(coordinate, Duration.ofSeconds(1), nanos::get);
      assertThat(watch.current().on()).isTrue();

      proxy.cut();
      nanos.addAndGet(Duration.ofSeconds(5).toNanos());
      assertThatThrownBy(watch::current)
          .as("the caller that reads fails as any call to the store would")
          .isInstanceOf(BackendUnavailableException.class);
      long start = System.nanoTime();
      assertThat(watch.current().on()).as("the others take the last known state").isTrue();
      assertThat(watch.current().reason()).isEqualTo("moving");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(100));

      proxy.restore();
      stores.open(direct).setMaintenance(false, "");
      nanos.addAndGet(Duration.ofSeconds(5).toNanos());
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      boolean on = true;
      while (on && System.nanoTime() < deadline) {
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        try {
          on = watch.current().on();
        } catch (BackendUnavailableException e) {
          Thread.sleep(50); // connections broken by the cut are replaced as they are found
        }
      }
      assertThat(on).as("read again once the database is back").isFalse();
    }
  }
}
