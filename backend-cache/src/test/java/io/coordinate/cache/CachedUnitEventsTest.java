package io.coordinate.cache;

import io.coordinate.api.Coordinate;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.conformance.UnitEventsKit;
import io.coordinate.memory.MemoryCoordinate;
import java.time.Clock;

/**
 * The unit events kit through the cache: the wrapped backend tells every transition, once, whether
 * the call came through a cached handle or not.
 */
class CachedUnitEventsTest extends UnitEventsKit {
  @Override
  protected Coordinate newCoordinate(Clock clock, UnitEvents events) {
    return CachingCoordinate.wrap(MemoryCoordinate.create(clock, events), CacheSettings.DEFAULT);
  }
}
