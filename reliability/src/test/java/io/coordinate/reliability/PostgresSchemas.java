package io.coordinate.reliability;

import io.coordinate.sql.SqlConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Schemas of their own on the PostgreSQL server named by {@value #URL_VARIABLE} (CI always sets
 * it; elsewhere the PostgreSQL scenarios are skipped without it), dropped after each test.
 */
final class PostgresSchemas implements AfterEachCallback {
  static final String URL_VARIABLE = "COORDINATE_TEST_PG_URL";

  private final List<String> created = new ArrayList<>();

  /** The server's {@code postgres://} URL; skips the test when none is configured. */
  String url() {
    String url = System.getenv(URL_VARIABLE);
    Assumptions.assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set");
    return url;
  }

  /** The name of a new schema, dropped after the test (the daemon creates it). */
  String newSchema() {
    String name = "r_" + UUID.randomUUID().toString().replace("-", "");
    created.add(name);
    return name;
  }

  @Override
  public void afterEach(ExtensionContext context) throws SQLException {
    if (created.isEmpty()) {
      return;
    }
    SqlConfig config = SqlConfig.of(url());
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        Statement s = c.createStatement()) {
      for (String schema : created) {
        s.execute("DROP SCHEMA IF EXISTS \"" + schema + "\" CASCADE");
      }
    }
    created.clear();
  }
}
