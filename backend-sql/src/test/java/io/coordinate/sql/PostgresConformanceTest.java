package io.coordinate.sql;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import java.time.Clock;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole conformance kit against the SQL backend on PostgreSQL ({@value
 * TestStores#PG_URL_VARIABLE}), each test in a schema of its own; {@link #sameStore()} is a second
 * backend with its own pool on that schema, as a second daemon would be. Skipped when the variable
 * is unset; fails when it is set and the server cannot be reached.
 */
@EnabledIfEnvironmentVariable(named = TestStores.PG_URL_VARIABLE, matches = ".+")
class PostgresConformanceTest extends ConformanceKit {
  @RegisterExtension final TestStores stores = new TestStores();

  private SqlConfig config;
  private Coordinate second;

  @Override
  protected Coordinate newCoordinate(Clock clock) {
    config = stores.postgresSchema().withPoolSize(2).withClock(clock);
    second = null;
    return stores.open(config);
  }

  @Override
  public Coordinate sameStore() {
    if (second == null) {
      second = stores.open(config.withPoolSize(2));
    }
    return second;
  }
}
