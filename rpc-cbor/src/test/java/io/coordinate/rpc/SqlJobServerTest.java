package io.coordinate.rpc;

import io.coordinate.api.Coordinate;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.time.Clock;
import java.util.UUID;

/** The job server contracts over the SQL backend on an in-memory H2 database. */
class SqlJobServerTest extends JobServerContract {
  @Override
  Coordinate openBackend(Clock clock) {
    String name = "rpc_" + UUID.randomUUID().toString().replace("-", "");
    return SqlCoordinate.open(SqlConfig.h2Memory(name).withClock(clock));
  }
}
