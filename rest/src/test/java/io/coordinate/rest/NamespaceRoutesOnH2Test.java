package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import java.time.Clock;

/** {@link NamespaceRoutesTest} on the SQL backend over a new in-memory H2 database per test. */
class NamespaceRoutesOnH2Test extends NamespaceRoutesTest {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return h2(clock);
  }
}
