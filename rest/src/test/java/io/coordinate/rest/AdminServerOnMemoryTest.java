package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;

/** On the in-memory backend. */
class AdminServerOnMemoryTest extends AdminServerTest {
  @Override
  protected Coordinate newCoordinate() {
    return MemoryCoordinate.create();
  }
}
