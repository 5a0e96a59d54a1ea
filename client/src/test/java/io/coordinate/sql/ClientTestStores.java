package io.coordinate.sql;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * backend-sql's test fixture {@link TestStores} (package-private in its test-jar) opened for the
 * client's tests: PostgreSQL is configured, isolated (a schema per test), skipped and cleaned up
 * exactly as in backend-sql's own tests. Register it with {@code @RegisterExtension}; after each
 * test the backends it opened are closed, then their schemas dropped.
 */
public final class ClientTestStores implements AfterEachCallback {
  /** The environment variable naming the test PostgreSQL server; unset, PostgreSQL tests skip. */
  public static final String PG_URL_VARIABLE = TestStores.PG_URL_VARIABLE;

  private final TestStores stores = new TestStores();

  /**
   * A new, empty schema on the test PostgreSQL server, dropped after the test; skips the test
   * when {@value #PG_URL_VARIABLE} is unset, fails it when the server cannot be reached.
   */
  public SqlConfig postgresSchema() {
    return stores.postgresSchema();
  }

  /** Opens a backend that is closed after the test, before its schema is dropped. */
  public SqlCoordinate open(SqlConfig config) {
    return stores.open(config);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stores.afterEach(context);
  }
}
