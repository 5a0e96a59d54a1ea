package io.coordinate.cache;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.time.Clock;
import java.util.UUID;

/** The whole conformance kit against the cache over the SQL backend on in-memory H2. */
class CachedH2ConformanceTest extends ConformanceKit {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    SqlConfig config = SqlConfig.h2Memory("cached-" + UUID.randomUUID()).withClock(clock);
    return CachingCoordinate.wrap(SqlCoordinate.open(config), CacheSettings.DEFAULT);
  }

  @Override
  public boolean handlesFollowNames() {
    return true;
  }
}
