package io.coordinate.api.conformance;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;

/**
 * What every contract of the conformance kit works with: a fresh backend per test, its controllable
 * clock, and a fresh namespace. {@link ConformanceKit} provides it.
 */
public interface KitFixture {
  /** The backend under test, new for each test. */
  Coordinate coordinate();

  /** The clock the backend was built with; tests move it to drive expiry. */
  MutableClock clock();

  /** A namespace created for this test. */
  Namespace namespace();

  /**
   * A second backend over the same storage as {@link #coordinate()}, as a second daemon would open
   * it, or the same backend where the store cannot be shared (the in-memory one).
   */
  default Coordinate sameStore() {
    return coordinate();
  }

  /**
   * Whether handles stand for names rather than objects (a caching decorator's handles do): then a
   * handle of a deleted object follows a new object of the same name instead of staying gone.
   */
  default boolean handlesFollowNames() {
    return false;
  }
}
