package io.coordinate.memory;

import io.coordinate.api.Coordinate;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.conformance.UnitEventsKit;
import java.time.Clock;

/** The unit events kit on the in-memory backend. */
class MemoryUnitEventsTest extends UnitEventsKit {
  @Override
  protected Coordinate newCoordinate(Clock clock, UnitEvents events) {
    return MemoryCoordinate.create(clock, events);
  }
}
