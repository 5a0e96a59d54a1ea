package io.coordinate.sql;

import io.coordinate.api.Coordinate;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.conformance.UnitEventsKit;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The unit events kit on an in-memory H2 database. */
class H2UnitEventsTest extends UnitEventsKit {
  @RegisterExtension final TestStores stores = new TestStores();

  @Override
  protected Coordinate newCoordinate(Clock clock, UnitEvents events) {
    return stores.open(
        SqlConfig.h2Memory("events-" + UUID.randomUUID()).withClock(clock).withUnitEvents(events));
  }
}
