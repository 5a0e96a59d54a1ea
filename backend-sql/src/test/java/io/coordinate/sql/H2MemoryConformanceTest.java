package io.coordinate.sql;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import java.time.Clock;
import java.util.UUID;

/** The whole conformance kit against the SQL backend on an in-memory H2 database. */
class H2MemoryConformanceTest extends ConformanceKit {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return SqlCoordinate.open(SqlConfig.h2Memory("kit-" + UUID.randomUUID()).withClock(clock));
  }
}
