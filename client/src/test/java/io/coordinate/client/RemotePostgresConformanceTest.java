package io.coordinate.client;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import io.coordinate.cache.CacheSettings;
import io.coordinate.cache.CachingCoordinate;
import io.coordinate.sql.SqlTestStores;
import io.coordinate.sql.SqlCoordinate;
import java.time.Clock;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole conformance kit through the remote client, against a daemon's REST API served in this
 * JVM over the SQL backend on PostgreSQL ({@value SqlTestStores#PG_URL_VARIABLE}), a schema per
 * test, composed as the daemon composes it by default (the name cache in front of the store; the
 * H2 variant serves the bare store), the backend on the kit's clock (the test-only hook for
 * expiry; see {@link Served}).
 * Skipped when the variable is unset; fails when it is set and the server cannot be reached.
 */
@EnabledIfEnvironmentVariable(named = SqlTestStores.PG_URL_VARIABLE, matches = ".+")
class RemotePostgresConformanceTest extends ConformanceKit {
  @RegisterExtension final SqlTestStores stores = new SqlTestStores();

  private Served served;

  @Override
  protected Coordinate newCoordinate(Clock clock) {
    // As the daemon serves a SQL store by default: the default pool (16 connections, one per
    // concurrent request of the kit's thread groups) behind the name cache. The stores close the
    // backend after the test (again, harmlessly) before dropping its schema.
    SqlCoordinate sql = stores.open(stores.postgresSchema().withClock(clock));
    served = Served.start(CachingCoordinate.wrap(sql, CacheSettings.DEFAULT));
    return served;
  }

  @Override
  public Coordinate sameStore() {
    return served.anotherClient();
  }

  @Override
  public boolean handlesFollowNames() {
    return true;
  }
}
