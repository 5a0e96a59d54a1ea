package io.coordinate.sql;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Databases for tests, cleaned up after each test: PostgreSQL schemas (dropped), H2 file
 * directories (deleted), and the backends opened on them (closed first). Register it with {@code
 * @RegisterExtension}; its clean-up runs after the test's own {@code @AfterEach} methods, so a
 * conformance kit still checks its invariants on the live database.
 *
 * <p>PostgreSQL comes from {@value #PG_URL_VARIABLE}: unset, the PostgreSQL tests are skipped (a
 * developer's machine); set, a server that cannot be reached fails them.
 */
final class TestStores implements AfterEachCallback {
  /** The environment variable naming the test PostgreSQL server ({@code postgres://…} or JDBC). */
  /** The stores the SQL backend runs on, for tests parameterized over them. */
  enum Store {
    H2_MEMORY,
    H2_FILE,
    POSTGRESQL;

    SqlConfig config(TestStores stores) {
      return switch (this) {
        case H2_MEMORY -> SqlConfig.h2Memory("test-" + UUID.randomUUID());
        case H2_FILE -> stores.h2File();
        case POSTGRESQL -> stores.postgresSchema();
      };
    }
  }

  static final String PG_URL_VARIABLE = "COORDINATE_TEST_PG_URL";

  private final Deque<AutoCloseable> cleanups = new ArrayDeque<>();

  /** Skips the calling test unless a test PostgreSQL server is configured. */
  static SqlConfig postgresServer() {
    String url = System.getenv(PG_URL_VARIABLE);
    Assumptions.assumeTrue(
        url != null && !url.isBlank(), PG_URL_VARIABLE + " is not set: PostgreSQL tests skipped");
    return SqlConfig.of(url);
  }

  /**
   * A new, empty schema on the test PostgreSQL server, dropped after the test. Fails the test
   * (rather than skipping it) when the server is configured but cannot be reached.
   */
  SqlConfig postgresSchema() {
    SqlConfig server = postgresServer();
    requireReachable(server);
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "");
    cleanups.push(() -> SchemaDrops.drop(server, schema));
    return withTestOptions(server).withSchema(schema);
  }

  /**
   * Test connections do not wait for the write-ahead log to reach the disk at each commit: the
   * tests never crash the server, so nothing they observe changes, and commits do not queue behind
   * the disk.
   */
  private static SqlConfig withTestOptions(SqlConfig server) {
    String url = server.jdbcUrl();
    String option = "options=-c%20synchronous_commit%3Doff";
    url += (url.contains("?") ? "&" : "?") + option;
    return new SqlConfig(
        url, server.user(), server.password(), server.poolSize(), null, server.connectionTimeout(),
        server.clock());
  }

  private static boolean reachable; // guarded by TestStores.class
  private static String unreachable; // guarded by TestStores.class

  /**
   * Connects once per test run (the backend creates each schema itself when it migrates); after a
   * failure every later test fails at once instead of waiting for the server again.
   */
  private static synchronized void requireReachable(SqlConfig server) {
    if (!reachable && unreachable == null) {
      try (Connection c = connect(server)) {
        reachable = c.isValid(5);
      } catch (SQLException e) {
        unreachable = e.toString();
      }
    }
    if (!reachable) {
      fail(
          PG_URL_VARIABLE + " is set but " + server.describe() + " cannot be reached: "
              + unreachable);
    }
  }

  /**
   * Drops test schemas a few at a time (one DROP of many schemas costs about as much as one of a
   * single schema); the last ones when the test JVM exits.
   */
  private static final class SchemaDrops {
    private static final int BATCH = 16;
    private static final List<String> pending = new ArrayList<>(); // guarded by the class
    private static SqlConfig server; // guarded by the class

    static {
      Runtime.getRuntime().addShutdownHook(new Thread(SchemaDrops::flush, "drop-test-schemas"));
    }

    static synchronized void drop(SqlConfig on, String schema) throws SQLException {
      server = on;
      pending.add(schema);
      if (pending.size() >= BATCH) {
        dropPending();
      }
    }

    static synchronized void flush() {
      try {
        dropPending();
      } catch (SQLException e) {
        System.err.println(e.getMessage());
      }
    }

    private static void dropPending() throws SQLException {
      if (pending.isEmpty()) {
        return;
      }
      String names = String.join(", ", pending);
      pending.clear();
      try {
        execute(server, "DROP SCHEMA IF EXISTS " + names + " CASCADE");
      } catch (SQLException e) {
        throw new SQLException("could not drop test schemas " + names + ": " + e.getMessage(), e);
      }
    }
  }

  /** An H2 file store in a new temporary directory, deleted after the test. */
  SqlConfig h2File() {
    try {
      Path dir = Files.createTempDirectory("coordinate-h2-");
      cleanups.push(() -> deleteTree(dir));
      return SqlConfig.h2File(dir);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Opens a backend that is closed after the test, before its database is removed. */
  SqlCoordinate open(SqlConfig config) {
    SqlCoordinate c = SqlCoordinate.open(config);
    cleanups.push(c);
    return c;
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    Exception first = null;
    while (!cleanups.isEmpty()) {
      try {
        cleanups.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  static Connection connect(SqlConfig config) throws SQLException {
    Properties p = new Properties();
    if (config.user() != null) {
      p.setProperty("user", config.user());
    }
    if (config.password() != null) {
      p.setProperty("password", config.password());
    }
    if (config.jdbcUrl().startsWith("jdbc:postgresql:")) {
      p.setProperty("connectTimeout", "5");
    }
    Connection c = DriverManager.getConnection(config.jdbcUrl(), p);
    if (config.schema() != null) {
      c.setSchema(config.schema());
    }
    return c;
  }

  /** The single number a query over the store's tables answers, read past the backend. */
  static long count(SqlConfig config, String sql) throws SQLException {
    try (Connection c = connect(config);
        Statement s = c.createStatement();
        var rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static void execute(SqlConfig config, String sql) throws SQLException {
    try (Connection c = connect(config);
        Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
