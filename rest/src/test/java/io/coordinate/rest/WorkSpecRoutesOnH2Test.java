package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import java.time.Clock;

/** {@link WorkSpecRoutesTest} on the SQL backend over a new in-memory H2 database per test. */
class WorkSpecRoutesOnH2Test extends WorkSpecRoutesTest {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return h2(clock);
  }
}
