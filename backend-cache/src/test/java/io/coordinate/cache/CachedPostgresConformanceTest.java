package io.coordinate.cache;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.time.Clock;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole conformance kit against the cache over the SQL backend on PostgreSQL, each test in a
 * schema of its own; {@link #sameStore()} is a second cached backend with its own pool on that
 * schema, as a second daemon would be.
 */
@EnabledIfEnvironmentVariable(named = PostgresSchemas.URL_VARIABLE, matches = ".+")
class CachedPostgresConformanceTest extends ConformanceKit {
  @RegisterExtension final PostgresSchemas schemas = new PostgresSchemas();

  private SqlConfig config;
  private Coordinate second;

  @Override
  protected Coordinate newCoordinate(Clock clock) {
    config = schemas.newSchema().withPoolSize(2).withClock(clock);
    second = null;
    return CachingCoordinate.wrap(SqlCoordinate.open(config), CacheSettings.DEFAULT);
  }

  @Override
  public Coordinate sameStore() {
    if (second == null) {
      second = CachingCoordinate.wrap(SqlCoordinate.open(config), CacheSettings.DEFAULT);
      schemas.closeAfter(second::close);
    }
    return second;
  }

  @Override
  public boolean handlesFollowNames() {
    return true;
  }
}
