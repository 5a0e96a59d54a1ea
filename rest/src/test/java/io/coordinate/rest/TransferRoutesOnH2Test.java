package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import java.time.Clock;

/** {@link TransferRoutesTest} on the SQL backend (H2). */
class TransferRoutesOnH2Test extends TransferRoutesTest {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return h2(clock);
  }
}
