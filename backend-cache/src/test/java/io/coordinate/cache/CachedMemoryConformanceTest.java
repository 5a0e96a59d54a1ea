package io.coordinate.cache;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import io.coordinate.memory.MemoryCoordinate;
import java.time.Clock;

/** The whole conformance kit against the cache over the in-memory backend. */
class CachedMemoryConformanceTest extends ConformanceKit {
  @Override
  protected Coordinate newCoordinate(Clock clock) {
    return CachingCoordinate.wrap(MemoryCoordinate.create(clock), CacheSettings.DEFAULT);
  }

  @Override
  public boolean handlesFollowNames() {
    return true;
  }
}
