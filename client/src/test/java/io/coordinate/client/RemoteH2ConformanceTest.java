package io.coordinate.client;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.time.Clock;
import java.util.UUID;

/**
 * The whole conformance kit through the remote client, against a daemon's REST API served in this
 * JVM over the SQL backend on an in-memory H2 database that runs on the kit's clock (the test-only
 * hook for expiry; see {@link Served}).
 */
class RemoteH2ConformanceTest extends ConformanceKit {
  private Served served;

  @Override
  protected Coordinate newCoordinate(Clock clock) {
    served =
        Served.start(
            SqlCoordinate.open(SqlConfig.h2Memory("remote-" + UUID.randomUUID()).withClock(clock)));
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
