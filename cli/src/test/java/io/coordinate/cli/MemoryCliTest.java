package io.coordinate.cli;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;

/** The commands against a daemon on the in-memory store. */
class MemoryCliTest extends CliContract {
  @Override
  Coordinate newBackend() {
    return MemoryCoordinate.create();
  }
}
