package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;

/** On the in-memory backend. */
class WorkUnitRoutesOnMemoryTest extends WorkUnitRoutesTest {
  @Override
  protected Coordinate newCoordinate() {
    return MemoryCoordinate.create();
  }
}
