package io.coordinate.sql;

import io.coordinate.api.Coordinate;
import io.coordinate.api.conformance.ConformanceKit;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The whole conformance kit against the SQL backend on an H2 file store in a temporary directory;
 * {@link #sameStore()} is a second backend with its own pool on the same file.
 */
class H2FileConformanceTest extends ConformanceKit {
  @RegisterExtension final TestStores stores = new TestStores();

  private SqlConfig config;
  private Coordinate second;

  @Override
  protected Coordinate newCoordinate(Clock clock) {
    config = stores.h2File().withClock(clock);
    second = null;
    return stores.open(config);
  }

  @Override
  public Coordinate sameStore() {
    if (second == null) {
      second = stores.open(config.withPoolSize(2));
    }
    return second;
  }
}
