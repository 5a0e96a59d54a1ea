package io.coordinate.client;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import io.coordinate.memory.MemoryCoordinate;
import java.time.Clock;

/**
 * The whole conformance kit through the remote client, against a daemon's REST API served in this
 * JVM over the in-memory backend. The backend runs on the kit's clock, so moving it moves the
 * daemon's time: the test-only hook the expiry tests drive (see {@link Served}).
 */
class RemoteMemoryConformanceTest extends ConformanceKit {
  private Served served;

  @Override
  protected Coordinate newCoordinate(Clock clock) {
    served = Served.start(MemoryCoordinate.create(clock));
    return served;
  }

  /** A second client of the same daemon, as a second program would have. */
  @Override
  public Coordinate sameStore() {
    return served.anotherClient();
  }

  /** Remote handles hold names, not objects. */
  @Override
  public boolean handlesFollowNames() {
    return true;
  }
}
