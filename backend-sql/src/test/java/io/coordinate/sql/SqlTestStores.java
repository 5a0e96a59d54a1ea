package io.coordinate.sql;

import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The public face of this module's test fixtures ({@link TestStores}, {@link TcpProxy}) for other
 * modules' tests (they reach it through the test-jar), so PostgreSQL is configured, isolated (a
 * schema per test), skipped and cleaned up exactly as in this module's own tests.
 *
 * <p>Register it with {@code @RegisterExtension}: everything opened is closed after each test, then
 * the PostgreSQL schemas are dropped.
 */
public final class SqlTestStores implements AfterEachCallback {
  /** The environment variable naming the test PostgreSQL server; unset, PostgreSQL tests skip. */
  public static final String PG_URL_VARIABLE = TestStores.PG_URL_VARIABLE;

  private final TestStores stores = new TestStores();

  /** A backend on a new in-memory H2 database. */
  public SqlCoordinate h2Memory() {
    return stores.open(TestStores.Store.H2_MEMORY.config(stores));
  }

  /**
   * A new, empty schema on the test PostgreSQL server; skips the test when {@value
   * #PG_URL_VARIABLE} is unset, fails it when the server cannot be reached.
   */
  public SqlConfig postgresSchema() {
    return stores.postgresSchema();
  }

  /** A backend on a new, empty PostgreSQL schema (see {@link #postgresSchema()}). */
  public SqlCoordinate postgres() {
    return open(postgresSchema());
  }

  /** Opens a backend that is closed after the test, before its database is removed. */
  public SqlCoordinate open(SqlConfig config) {
    return stores.open(config);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    stores.afterEach(context);
  }

  /**
   * A {@link TcpProxy} in front of a PostgreSQL server, to play an outage: {@link #config()} is the
   * server's configuration with the proxy's address in its place.
   */
  public static final class Proxy implements AutoCloseable {
    private final TcpProxy proxy;
    private final SqlConfig config;

    /** Starts forwarding to the server {@code direct} names. */
    public Proxy(SqlConfig direct) throws IOException {
      URI server = URI.create(direct.jdbcUrl().substring("jdbc:".length()));
      proxy = new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
      String url =
          "jdbc:postgresql://127.0.0.1:" + proxy.port() + server.getRawPath()
              + (server.getRawQuery() == null ? "" : "?" + server.getRawQuery());
      config =
          new SqlConfig(
              url, direct.user(), direct.password(), direct.poolSize(), direct.schema(),
              direct.connectionTimeout(), direct.clock());
    }

    /** The configuration that reaches the server through this proxy. */
    public SqlConfig config() {
      return config;
    }

    /** Closes every forwarded connection and refuses new ones until {@link #restore()}. */
    public void cut() {
      proxy.cut();
    }

    /** Forwards new connections again. */
    public void restore() {
      proxy.restore();
    }

    @Override
    public void close() throws IOException {
      proxy.close();
    }
  }
}
