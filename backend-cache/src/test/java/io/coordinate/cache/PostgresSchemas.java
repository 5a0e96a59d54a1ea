package io.coordinate.cache;

import io.coordinate.sql.SqlConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Schemas of their own on the PostgreSQL server named by {@value #URL_VARIABLE}, dropped after each
 * test (after the test's own clean-up, which closes the backends using them).
 */
final class PostgresSchemas implements AfterEachCallback {
  static final String URL_VARIABLE = "COORDINATE_TEST_PG_URL";

  private final List<SqlConfig> created = new ArrayList<>();
  private final List<Runnable> closers = new ArrayList<>();

  /** Runs {@code close} after the test, before the schemas are dropped. */
  void closeAfter(Runnable close) {
    closers.add(close);
  }

  /** A configuration for a new, empty schema. */
  SqlConfig newSchema() {
    String url = System.getenv(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(URL_VARIABLE + " is not set");
    }
    SqlConfig config =
        SqlConfig.of(url).withSchema("c_" + UUID.randomUUID().toString().replace("-", "")).withPoolSize(4);
    created.add(config);
    return config;
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    closers.forEach(Runnable::run);
    closers.clear();
    for (SqlConfig config : created) {
      try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
          Statement s = c.createStatement()) {
        s.execute("DROP SCHEMA IF EXISTS \"" + config.schema() + "\" CASCADE");
      }
    }
    created.clear();
  }
}
