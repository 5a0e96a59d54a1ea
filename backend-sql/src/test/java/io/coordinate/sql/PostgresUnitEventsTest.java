package io.coordinate.sql;

import io.coordinate.api.Coordinate;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.conformance.UnitEventsKit;
import java.time.Clock;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The unit events kit on PostgreSQL (a schema of its own per test), whose leases take the
 * one-statement path; skipped unless {@value TestStores#PG_URL_VARIABLE} is set.
 */
class PostgresUnitEventsTest extends UnitEventsKit {
  @RegisterExtension final TestStores stores = new TestStores();

  @Override
  protected Coordinate newCoordinate(Clock clock, UnitEvents events) {
    return stores.open(stores.postgresSchema().withClock(clock).withUnitEvents(events));
  }
}
