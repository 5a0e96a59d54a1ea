package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import io.coordinate.sql.SqlTestStores;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On the SQL backend over PostgreSQL, a new schema per test; skipped unless {@value
 * SqlTestStores#PG_URL_VARIABLE} is set.
 */
@EnabledIfEnvironmentVariable(named = SqlTestStores.PG_URL_VARIABLE, matches = ".+")
class WorkUnitRoutesOnPostgresTest extends WorkUnitRoutesTest {
  @RegisterExtension final SqlTestStores stores = new SqlTestStores();

  @Override
  protected Coordinate newCoordinate() {
    return stores.postgres();
  }
}
