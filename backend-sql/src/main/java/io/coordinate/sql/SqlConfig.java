package io.coordinate.sql;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.scheduling.LongPoll;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach the database. Immutable; build one with {@link #of(String)} and the {@code with…}
 * methods.
 *
 * @param jdbcUrl a {@code jdbc:h2:…} or {@code jdbc:postgresql:…} URL
 * @param user database user ({@code null}: from the URL or the driver's default)
 * @param password database password ({@code null}: none)
 * @param poolSize most connections the pool opens; at least 2, since opening the store migrates
 *     the schema with two connections at once
 * @param schema the schema holding the tables ({@code null}: the database's default); two sets of
 *     tables can share one database under different schemas
 * @param connectionTimeout how long a call waits for a connection before it fails with {@link
 *     io.coordinate.api.BackendUnavailableException}
 * @param clock where the backend takes its time from
 * @param unitEvents told of every lease, result and expiry once its transaction commits ({@code
 *     null}: {@link UnitEvents#NONE})
 * @param meterRegistry where the connection pool's metrics ({@code hikaricp_*}) and the statement
 *     count ({@code coordinate.sql.statements}) are registered ({@code null}: nowhere)
 * @param longPoll where requests that wait for work wait, which its owner closes ({@code null}:
 *     the backend makes its own and closes it with itself)
 */
public record SqlConfig(
    String jdbcUrl,
    String user,
    String password,
    int poolSize,
    String schema,
    Duration connectionTimeout,
    Clock clock,
    UnitEvents unitEvents,
    MeterRegistry meterRegistry,
    LongPoll longPoll) {

  /** Default pool size: enough for a daemon serving hundreds of workers on a few cores. */
  public static final int DEFAULT_POOL_SIZE = 16;

  /** The smallest pool: Flyway holds one connection for its lock while it migrates on another. */
  public static final int MIN_POOL_SIZE = 2;

  /** Default wait for a connection: long enough for a busy pool, short enough to fail fast. */
  public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(5);

  public SqlConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    Dialect.of(jdbcUrl); // fail early on an unsupported URL
    if (poolSize < MIN_POOL_SIZE) {
      throw new InvalidRequestException(
          "pool size must be at least " + MIN_POOL_SIZE + ": " + poolSize);
    }
    if (schema != null && !SCHEMA_NAME.matcher(schema).matches()) {
      // The name goes into DDL and search paths unquoted; keep it a plain identifier.
      throw new InvalidRequestException("schema name must be a plain SQL identifier: " + schema);
    }
    connectionTimeout = connectionTimeout == null ? DEFAULT_CONNECTION_TIMEOUT : connectionTimeout;
    clock = clock == null ? Clock.systemUTC() : clock;
    unitEvents = unitEvents == null ? UnitEvents.NONE : unitEvents;
  }

  /** A configuration without unit events or metrics. */
  public SqlConfig(
      String jdbcUrl,
      String user,
      String password,
      int poolSize,
      String schema,
      Duration connectionTimeout,
      Clock clock) {
    this(jdbcUrl, user, password, poolSize, schema, connectionTimeout, clock, null, null, null);
  }

  /** A configuration with unit events and metrics; the backend makes its own long-poll. */
  public SqlConfig(
      String jdbcUrl,
      String user,
      String password,
      int poolSize,
      String schema,
      Duration connectionTimeout,
      Clock clock,
      UnitEvents unitEvents,
      MeterRegistry meterRegistry) {
    this(jdbcUrl, user, password, poolSize, schema, connectionTimeout, clock, unitEvents,
        meterRegistry, null);
  }

  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Pattern OTHER_URL = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");

  /**
   * A configuration from one of:
   *
   * <ul>
   *   <li>a JDBC URL, {@code jdbc:h2:…} or {@code jdbc:postgresql:…}, used as it is;
   *   <li>{@code postgres://user:password@host:port/db?options} (or {@code postgresql://…}): user
   *       and password percent-decoded, port 5432 and host localhost by default, options passed to
   *       the JDBC driver (e.g. {@code sslmode=require}, {@code socketTimeout=60});
   *   <li>anything else is a directory path: an H2 file store in that directory.
   * </ul>
   *
   * @throws IllegalArgumentException for another database's URL
   */
  public static SqlConfig of(String url) {
    Objects.requireNonNull(url, "url");
    if (url.startsWith("jdbc:")) {
      return new SqlConfig(url, null, null, DEFAULT_POOL_SIZE, null, null, null);
    }
    if (url.startsWith("postgres://") || url.startsWith("postgresql://")) {
      return fromPostgresUri(url);
    }
    if (OTHER_URL.matcher(url).matches()) {
      throw new IllegalArgumentException(
          "unsupported database URL (H2 or PostgreSQL only): " + withoutCredentials(url));
    }
    return h2File(Path.of(url));
  }

  /** An embedded H2 database stored in {@code directory}. */
  public static SqlConfig h2File(Path directory) {
    String file = directory.toAbsolutePath().resolve("coordinate").toString();
    return new SqlConfig("jdbc:h2:file:" + file, null, null, DEFAULT_POOL_SIZE, null, null, null);
  }

  /**
   * An in-memory H2 database called {@code name}: backends opened on the same name in this JVM
   * share it, and it is dropped when the last of them is closed.
   */
  public static SqlConfig h2Memory(String name) {
    return new SqlConfig(
        "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1",
        null, null, DEFAULT_POOL_SIZE, null, null, null);
  }

  private static SqlConfig fromPostgresUri(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      uri = null;
    }
    if (uri == null || (uri.getRawAuthority() != null && uri.getHost() == null)) {
      // Never echo the URL as given: it may hold a password.
      throw new IllegalArgumentException(
          "invalid PostgreSQL URL " + withoutCredentials(url) + ": expected"
              + " postgres://user:password@host:port/database, with special characters in the"
              + " user and password percent-encoded");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String host = uri.getHost() == null ? "localhost" : uri.getHost();
    int port = uri.getPort() < 0 ? 5432 : uri.getPort();
    String path = uri.getRawPath();
    String db = path == null || path.length() <= 1 ? "" : path.substring(1);
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new SqlConfig(
        "jdbc:postgresql://" + host + ":" + port + "/" + db + query,
        user, password, DEFAULT_POOL_SIZE, null, null, null);
  }

  /** The URL with anything between "//" and the last "@" of its authority left out. */
  private static String withoutCredentials(String url) {
    return url.replaceAll("//[^/?#]*@", "//");
  }

  /** Percent-decoding as URIs mean it: a '+' is a plus sign, not a space. */
  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  public SqlConfig withUser(String v) {
    return new SqlConfig(
        jdbcUrl, v, password, poolSize, schema, connectionTimeout, clock, unitEvents,
        meterRegistry, longPoll);
  }

  public SqlConfig withPassword(String v) {
    return new SqlConfig(
        jdbcUrl, user, v, poolSize, schema, connectionTimeout,
        clock, unitEvents, meterRegistry, longPoll);
  }

  public SqlConfig withPoolSize(int v) {
    return new SqlConfig(
        jdbcUrl, user, password, v, schema, connectionTimeout,
        clock, unitEvents, meterRegistry, longPoll);
  }

  public SqlConfig withSchema(String v) {
    return new SqlConfig(
        jdbcUrl, user, password, poolSize, v, connectionTimeout,
        clock, unitEvents, meterRegistry, longPoll);
  }

  public SqlConfig withConnectionTimeout(Duration v) {
    return new SqlConfig(
        jdbcUrl, user, password, poolSize, schema, v, clock, unitEvents, meterRegistry, longPoll);
  }

  public SqlConfig withClock(Clock v) {
    return new SqlConfig(
        jdbcUrl, user, password, poolSize, schema, connectionTimeout,
        v, unitEvents, meterRegistry, longPoll);
  }

  /** Tells {@code v} of every lease, result and expiry. */
  public SqlConfig withUnitEvents(UnitEvents v) {
    return new SqlConfig(
        jdbcUrl, user, password, poolSize, schema, connectionTimeout,
        clock, v, meterRegistry, longPoll);
  }

  /** Registers the pool's metrics and the statement count in {@code v}. */
  public SqlConfig withMeterRegistry(MeterRegistry v) {
    return new SqlConfig(
        jdbcUrl, user, password, poolSize, schema, connectionTimeout,
        clock, unitEvents, v, longPoll);
  }

  /** Requests that wait for work wait in {@code v}, which the caller closes. */
  public SqlConfig withLongPoll(LongPoll v) {
    return new SqlConfig(jdbcUrl, user, password, poolSize, schema, connectionTimeout, clock,
        unitEvents, meterRegistry, v);
  }

  /** The database named for people: the URL without credentials or options. */
  String describe() {
    String url = jdbcUrl.startsWith("jdbc:") ? jdbcUrl.substring(5) : jdbcUrl;
    int options = url.indexOf(url.startsWith("h2:") ? ';' : '?');
    return options < 0 ? url : url.substring(0, options);
  }
}
