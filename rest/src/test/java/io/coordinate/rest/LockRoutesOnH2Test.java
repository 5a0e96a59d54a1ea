package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import java.time.Clock;

/** {@link LockRoutesTest} on the SQL backend over a new in-memory H2 database per test. */
class LockRoutesOnH2Test extends LockRoutesTest {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return h2(clock);
  }
}
