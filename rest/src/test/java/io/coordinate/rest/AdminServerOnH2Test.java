package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import io.coordinate.sql.SqlTestStores;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On the SQL backend over a new in-memory H2 database per test. */
class AdminServerOnH2Test extends AdminServerTest {
  @RegisterExtension final SqlTestStores stores = new SqlTestStores();

  @Override
  protected Coordinate newCoordinate() {
    return stores.h2Memory();
  }
}
