package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.GoneException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.sql.TestStores.Store;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Work units have no foreign key to their spec (it made bulk adds twice as slow); the backend keeps
 * the rule itself. Destroying a spec or a namespace while other threads add units to it leaves no
 * unit behind, and a database created by the first schema version is upgraded in place.
 */
class UnitOwnershipTest {
  @RegisterExtension final TestStores stores = new TestStores();

  private static final String ORPHANS =
      "SELECT COUNT(*) FROM work_unit u WHERE NOT EXISTS"
          + " (SELECT 1 FROM work_spec s WHERE s.id = u.spec_id)";

  /** Enough adders that their locks always overlap: a destroy queued unfairly never runs. */
  private static final int ADDERS = 12;
  private static final int UNITS_BEFORE_DESTROY = 3_000;

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void destroyingASpecWhileAddingLeavesNoUnit(Store store) throws Exception {
    SqlConfig config = store.config(stores);
    Namespace ns = stores.open(config).namespace("n");
    for (int round = 0; round < 3; round++) {
      WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
      int added = addWhile(spec, () -> ns.destroyWorkSpec("s"));
      assertThat(added).isGreaterThanOrEqualTo(UNITS_BEFORE_DESTROY);
      assertThat(TestStores.count(config, ORPHANS)).as("units left of a destroyed spec").isZero();
      assertThat(TestStores.count(config, "SELECT COUNT(*) FROM work_unit")).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void destroyingANamespaceWhileAddingLeavesNoUnit(Store store) throws Exception {
    SqlConfig config = store.config(stores);
    SqlCoordinate coordinate = stores.open(config);
    WorkSpec kept = coordinate.namespace("kept").setWorkSpec(Map.of("name", "s"));
    kept.addWorkUnits(units("kept", 100));
    for (int round = 0; round < 3; round++) {
      Namespace ns = coordinate.namespace("n" + round);
      WorkSpec spec = ns.setWorkSpec(Map.of("name", "s"));
      int added = addWhile(spec, ns::destroy);
      assertThat(added).isGreaterThanOrEqualTo(UNITS_BEFORE_DESTROY);
      assertThat(TestStores.count(config, ORPHANS)).as("units left of a destroyed namespace").isZero();
      assertThat(TestStores.count(config, "SELECT COUNT(*) FROM work_unit")).isEqualTo(100);
    }
    assertThat(kept.meta(true).availableCount()).isEqualTo(100);
  }

  /**
   * Adds batches from several threads until the spec is gone; {@code destroy} runs once this many
   * units were added. Returns how many units were added.
   */
  private static int addWhile(WorkSpec spec, Runnable destroy) throws InterruptedException {
    AtomicInteger added = new AtomicInteger();
    Threads.run(
        ADDERS + 1,
        Duration.ofSeconds(120),
        id -> {
          if (id == ADDERS) {
            while (added.get() < UNITS_BEFORE_DESTROY) {
              Thread.sleep(1);
            }
            destroy.run();
            return;
          }
          for (int batch = 0; ; batch++) {
            try {
              // Large batches take PostgreSQL's COPY path, small ones its INSERT.
              spec.addWorkUnits(units("t" + id + "-" + batch, batch % 2 == 0 ? 100 : 10));
            } catch (GoneException expected) {
              return;
            }
            added.addAndGet(batch % 2 == 0 ? 100 : 10);
          }
        });
    return added.get();
  }

  private static List<NewWorkUnit> units(String prefix, int n) {
    List<NewWorkUnit> units = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      units.add(NewWorkUnit.of(prefix + "-" + i, Map.of("i", (long) i)));
    }
    return units;
  }

  @ParameterizedTest
  @EnumSource(value = Store.class, names = {"H2_FILE", "POSTGRESQL"})
  void aDatabaseOfTheFirstSchemaVersionIsUpgradedKeepingItsUnits(Store store) throws Exception {
    SqlConfig config = store.config(stores);
    Dialect dialect = Dialect.of(config.jdbcUrl());
    if (dialect.createsSchemaBeforeConnecting() && config.schema() != null) {
      TestStores.execute(config.withSchema(null), "CREATE SCHEMA IF NOT EXISTS \"" + config.schema() + "\"");
    }
    var v1 =
        Flyway.configure()
            .dataSource(dialect.connectionUrl(config.jdbcUrl()), config.user(), config.password())
            .locations("classpath:io/coordinate/sql/migration")
            .placeholders(Map.of("bytes", dialect.binaryType()))
            .target("1");
    if (config.schema() != null) {
      v1.schemas(config.schema()).createSchemas(true);
    }
    v1.load().migrate();
    withConnection(
        config,
        c -> {
          insert(c, "INSERT INTO namespace (name) VALUES ('n')");
          insert(
              c,
              "INSERT INTO work_spec (namespace_id, name, definition, priority, weight, paused,"
                  + " continuous, can_be_continuous, interval_us, next_continuous_us, max_running,"
                  + " max_getwork, max_retries, next_work_spec, runtime, min_gb)"
                  + " SELECT id, 's', ?, 0, 20, FALSE, FALSE, FALSE, 0, 0, 0, 0, 0, '', '', 0"
                  + " FROM namespace",
              SqlStore.cbor(Map.of("name", "s")));
          insert(
              c,
              "INSERT INTO work_unit (spec_id, unit_key, data, priority, status)"
                  + " SELECT id, ?, ?, 0, 1 FROM work_spec",
              new byte[] {'k'},
              SqlStore.cbor(Map.of("v", 1L)));
        });
    assertThat(specForeignKeys(config)).as("the first version's foreign key").hasSize(1);

    WorkSpec spec = stores.open(config).namespace("n").workSpec("s");
    assertThat(specForeignKeys(config)).isEmpty();
    assertThat(spec.workUnit(WorkUnitKey.of("k")).data()).isEqualTo(Map.of("v", 1L));
    spec.addWorkUnits(units("new", 100));
    assertThat(spec.meta(true).availableCount()).isEqualTo(101);
  }

  private interface SqlWork {
    void run(Connection c) throws Exception;
  }

  private static void withConnection(SqlConfig config, SqlWork work) throws Exception {
    try (Connection c = TestStores.connect(config)) {
      work.run(c);
    }
  }

  private static void insert(Connection c, String sql, Object... args) throws Exception {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        s.setObject(i + 1, args[i]);
      }
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  /** The foreign keys from work_unit to work_spec, read from the database's catalog. */
  private static List<String> specForeignKeys(SqlConfig config) throws Exception {
    List<String> names = new ArrayList<>();
    withConnection(
        config,
        c -> {
          for (String table : List.of("work_unit", "WORK_UNIT")) {
            try (ResultSet keys = c.getMetaData().getImportedKeys(c.getCatalog(), c.getSchema(), table)) {
              while (keys.next()) {
                if (keys.getString("PKTABLE_NAME").equalsIgnoreCase("work_spec")) {
                  names.add(keys.getString("FK_NAME"));
                }
              }
            }
          }
        });
    return names;
  }
}
