package io.coordinate.rpc;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;
import java.time.Clock;

/** The job server contracts over the in-memory backend. */
class MemoryJobServerTest extends JobServerContract {
  @Override
  Coordinate openBackend(Clock clock) {
    return MemoryCoordinate.create(clock);
  }
}
