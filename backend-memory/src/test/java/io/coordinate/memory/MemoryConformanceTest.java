package io.coordinate.memory;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import java.time.Clock;

/** The whole conformance kit against the in-memory backend. */
class MemoryConformanceTest extends ConformanceKit {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return MemoryCoordinate.create(clock);
  }
}
