package io.coordinate.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.CoordinateException;
import io.coordinate.api.Deadline;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.data.CborCodec;
import io.coordinate.api.scheduling.LongPoll;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.SqlStatements;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool, the transaction wrapper, and the few helpers every SQL statement needs: time
 * in microseconds, CBOR data, and the expiry sweep.
 *
 * <p>Every API call runs in one READ COMMITTED transaction ({@link #tx}). Transactions that lose a
 * deadlock or a unique-key race are retried a few times; a database that cannot be reached becomes
 * {@link BackendUnavailableException} naming the database, and the pool reconnects by itself when
 * it returns.
 */
final class SqlStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SqlStore.class);
  private static final int MAX_TRIES = 8;

  final SqlConfig config;
  final Dialect dialect;
  private final HikariDataSource pool;
  private final Jdbi jdbi;
  private final StatementCounter statements = new StatementCounter();
  /** The configured listener, then {@link #longPoll}. */
  private final UnitEvents events;
  private final LongPoll longPoll;
  private final boolean ownsLongPoll;
  /** Work news from other processes on the database; null on H2 (one process per database). */
  private final PgWorkListener listener;
  /** The statement count as a meter, removed again on close; null without a registry. */
  private final FunctionCounter statementMeter;

  /** The body of a transaction: gets the handle and the transaction's time in microseconds. */
  interface TxBody<T> {
    T run(Handle h, long now);
  }

  SqlStore(SqlConfig config) {
    this.config = config;
    this.dialect = Dialect.of(config.jdbcUrl());
    this.ownsLongPoll = config.longPoll() == null;
    this.longPoll = ownsLongPoll ? new LongPoll() : config.longPoll();
    this.events = config.unitEvents().andThen(longPoll);
    this.listener = dialect == Dialect.POSTGRESQL ? new PgWorkListener(config, longPoll) : null;
    if (listener != null) {
      longPoll.beforeFirstWait(listener::start);
    }
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(dialect.connectionUrl(config.jdbcUrl()));
    if (config.user() != null) {
      hc.setUsername(config.user());
    }
    if (config.password() != null) {
      hc.setPassword(config.password());
    }
    if (config.schema() != null) {
      if (dialect.createsSchemaBeforeConnecting()) {
        createSchema(config);
      }
      hc.setSchema(config.schema());
    }
    hc.setMaximumPoolSize(config.poolSize());
    long timeout = connectionTimeoutMillis();
    hc.setConnectionTimeout(timeout);
    // Checking an idle connection must not outlast the wait for one (Hikari's default is 5 s).
    hc.setValidationTimeout(Math.min(timeout, 5000));
    // The pool itself starts even if the database is down: the migration below is the first to
    // need a connection, and reports a database it cannot reach like every call does.
    hc.setInitializationFailTimeout(-1);
    hc.setPoolName("coordinate-" + config.describe());
    hc.setAutoCommit(true);
    // Every connection is READ COMMITTED from the start. Asking Jdbi for the level per transaction
    // instead costs PostgreSQL several SHOW TRANSACTION ISOLATION LEVEL round trips each time.
    hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    MeterRegistry registry = config.meterRegistry();
    if (registry != null) {
      // Hikari's own Micrometer tracker: hikaricp_connections_* tagged with the pool name.
      hc.setMetricRegistry(registry);
    }
    this.pool = new HikariDataSource(hc);
    try {
      migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw unavailable(e);
    }
    this.jdbi = Jdbi.create(connectionsWithinDeadline((HikariPool) pool.getHikariPoolMXBean()));
    jdbi.setSqlLogger(statements);
    this.h2 = dialect == Dialect.H2 ? H2Database.acquire(config.describe()) : null;
    this.statementMeter =
        registry == null
            ? null
            : FunctionCounter.builder(STATEMENTS_METER, statements, LongAdder::sum)
                .description("SQL statements the backend has executed (see statementsExecuted)")
                .tag("database", config.describe())
                .register(registry);
  }

  /** The meter name of {@link #statementsExecuted()}. */
  static final String STATEMENTS_METER = "coordinate.sql.statements";

  /** How long a call waits for a connection: as configured, but at least Hikari's minimum. */
  private long connectionTimeoutMillis() {
    return Math.max(250, config.connectionTimeout().toMillis());
  }

  /** Creates the configured schema through a connection of its own, before the pool needs it. */
  private void createSchema(SqlConfig config) {
    try (Connection c =
            DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS \"" + config.schema() + "\"");
    } catch (SQLException e) {
      throw unavailable(e);
    }
  }

  private void migrate() {
    var flyway =
        Flyway.configure()
            .dataSource(pool)
            .locations("classpath:io/coordinate/sql/migration")
            .placeholders(Map.of("bytes", dialect.binaryType()))
            .placeholderReplacement(true);
    if (config.schema() != null) {
      flyway.schemas(config.schema()).createSchemas(true);
    }
    flyway.load().migrate();
  }

  // ---------------------------------------------------------------------------------------
  // Statement count
  // ---------------------------------------------------------------------------------------

  /**
   * SQL statements executed through this store since it opened, for metrics and benchmarks: every
   * statement Jdbi ran (a batch counts once, a statement the database rejected counts too) and
   * every COPY. Transaction control (begin, commit, savepoints) and the schema migration are not
   * counted.
   */
  long statementsExecuted() {
    return statements.sum();
  }

  /**
   * Counts one statement run on {@code h} past Jdbi, such as a COPY through the driver. The
   * counter is found through the handle's configuration, so callers that have only a handle need
   * nothing else.
   */
  static void countStatement(Handle h) {
    if (h.getConfig(SqlStatements.class).getSqlLogger() instanceof StatementCounter counter) {
      counter.increment();
    }
  }

  /** Counts statements as Jdbi executes them; called on every statement, so it only adds one. */
  private static final class StatementCounter extends LongAdder implements SqlLogger {
    @Override
    public void logAfterExecution(StatementContext context) {
      increment();
    }

    @Override
    public void logException(StatementContext context, SQLException ex) {
      increment(); // it reached the database all the same
    }
  }

  // ---------------------------------------------------------------------------------------
  // Unit events
  // ---------------------------------------------------------------------------------------

  /**
   * Whether a configured listener wants every transition: without one, nothing extra is read to
   * tell it (requests waiting for work find what is not told by probing).
   */
  boolean tellsUnitEvents() {
    return config.unitEvents() != UnitEvents.NONE;
  }

  /** Where requests that wait for work wait. */
  LongPoll longPoll() {
    return longPoll;
  }

  /**
   * Tells the unit events of {@code units} transitions once the transaction of {@code h} commits: a
   * transaction that rolls back (and is perhaps retried) tells nothing, so nothing counts twice.
   * Work that appears is also announced to the other processes on a PostgreSQL database.
   */
  void tell(Handle h, String namespace, String spec, UnitEvents.Transition transition, int units) {
    tell(h, namespace, spec, transition, units, true);
  }

  private void tell(
      Handle h,
      String namespace,
      String spec,
      UnitEvents.Transition transition,
      int units,
      boolean announce) {
    if (units <= 0) {
      return;
    }
    h.afterCommit(() -> events.record(namespace, spec, transition, units));
    if (announce
        && listener != null
        && transition != UnitEvents.Transition.LEASED
        && transition != UnitEvents.Transition.FINISHED
        && transition != UnitEvents.Transition.FAILED) {
      listener.announce(h, namespace, spec, units);
    }
  }

  void tell(Handle h, SqlWorkSpec spec, UnitEvents.Transition transition, int units) {
    tell(h, spec.sqlNamespace().name(), spec.name(), transition, units);
  }

  // ---------------------------------------------------------------------------------------
  // Transactions and errors
  // ---------------------------------------------------------------------------------------

  <T> T tx(TxBody<T> body) {
    if (IN_TRANSACTION.get() != null) {
      // A second connection while holding one: with every connection so held, the pool would
      // wait for itself forever.
      throw new IllegalStateException("a transaction began inside another on the same thread");
    }
    IN_TRANSACTION.set(Boolean.TRUE);
    try {
      for (int attempt = 1; ; attempt++) {
        Deadline.check("waiting to begin a database transaction");
        long now = clockMicros();
        try {
          return jdbi.inTransaction(h -> body.run(h, now));
        } catch (CoordinateException e) {
          throw e;
        } catch (RuntimeException e) {
          if (attempt < MAX_TRIES && isRetryable(e)) {
            backOff(attempt);
            continue;
          }
          throw unavailable(e);
        }
      }
    } finally {
      IN_TRANSACTION.remove();
    }
  }

  /** The configured clock's time, in microseconds since the epoch. */
  long clockMicros() {
    return micros(config.clock().instant());
  }

  /** Set while this thread runs a transaction of some store. */
  private static final ThreadLocal<Boolean> IN_TRANSACTION = new ThreadLocal<>();

  /**
   * Connections from the pool, waited for no longer than the configured timeout nor past the
   * deadline of the request being served ({@link Deadline}): a request that queued elsewhere first
   * has less time left here, and gets a clear timeout instead of an answer nobody waits for.
   */
  private ConnectionFactory connectionsWithinDeadline(HikariPool hikari) {
    long configured = connectionTimeoutMillis();
    return () -> {
      long left = Deadline.remainingNanos();
      if (left <= 0) {
        throw Deadline.expired("waiting for a database connection");
      }
      long leftMillis = Math.max(1, left / 1_000_000);
      if (leftMillis >= configured) {
        return hikari.getConnection(configured);
      }
      try {
        return hikari.getConnection(leftMillis);
      } catch (SQLTransientConnectionException e) {
        throw Deadline.expired(
            "waiting " + leftMillis + " ms for a database connection (" + poolState() + ")");
      }
    };
  }

  void txRun(BiConsumer<Handle, Long> body) {
    tx(
        (h, now) -> {
          body.accept(h, now);
          return null;
        });
  }

  private static void backOff(int attempt) {
    try {
      Thread.sleep(ThreadLocalRandom.current().nextInt(1, 5 << attempt));
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw new BackendUnavailableException("interrupted while retrying a transaction");
    }
  }

  /** Deadlocks, serialization failures, and races with a concurrent create or delete: try again. */
  private static boolean isRetryable(Throwable e) {
    SQLException sql = sqlCause(e);
    if (sql == null) {
      return false;
    }
    String state = sql.getSQLState();
    return state != null
        && (state.equals("40001") // serialization failure (H2 deadlock too)
            || state.equals("40P01") // PostgreSQL deadlock
            || state.equals("23505") // unique violation: another transaction created it first
            // A row referred to was deleted by another transaction meanwhile (H2 claims units
            // for a lease without locking them; a delete can come between claim and attempt).
            || state.equals("23503") // PostgreSQL foreign key violation
            || state.equals("23506") // H2 referential integrity violation
            || state.equals("HYT00")); // H2 lock timeout
  }

  /**
   * The exception a failed call reports: one line naming the database and saying what went wrong
   * (the driver's and the pool's own messages, without their nested causes). Errors other than an
   * unreachable database are also logged with their stack trace, for the operator.
   */
  private BackendUnavailableException unavailable(Throwable e) {
    SQLException sql = sqlCause(e);
    if (sql instanceof SQLTransientConnectionException && sql.getCause() == null) {
      // The pool timed out with no failed attempt to connect on record: its connections were all
      // in use, or it was still opening new ones (as when the database has just come back).
      return new BackendUnavailableException(
          "no connection to database " + config.describe() + " within "
              + connectionTimeoutMillis() + " ms (" + poolState() + ")",
          e);
    }
    boolean unreachable = isUnreachable(sql);
    String detail =
        unreachable
            ? unreachableReason(sql)
            : firstLine(sql != null ? sql.getMessage() : e.getMessage());
    if (!unreachable) {
      log.warn("database error on {}", config.describe(), e);
    }
    String what = unreachable ? "cannot reach database " : "database error on ";
    return new BackendUnavailableException(what + config.describe() + ": " + detail, e);
  }

  private String poolState() {
    var state = pool == null ? null : pool.getHikariPoolMXBean();
    if (state == null) {
      return "pool of " + config.poolSize();
    }
    return state.getActiveConnections() + " of " + state.getTotalConnections()
        + " open connections in use, at most " + config.poolSize();
  }

  /** Connection failures, a server shutting down or starting up, or out of connections. */
  private static boolean isUnreachable(SQLException sql) {
    if (sql instanceof SQLTransientConnectionException) {
      return true; // the pool had no connection within the timeout
    }
    String state = sql == null ? null : sql.getSQLState();
    return state != null
        && (state.startsWith("08") // connection exception
            || state.startsWith("57P") // admin or crash shutdown, cannot connect now
            || state.equals("53300")); // too many connections
  }

  private String unreachableReason(SQLException sql) {
    Throwable why = sql;
    if (sql instanceof SQLTransientConnectionException) {
      // The pool's timeout says only that no connection came; its cause, the last failed attempt
      // to connect, says why. Name the deepest database error there, then the root cause.
      why = sql.getCause();
      for (Throwable t = why; t != null; t = t.getCause()) {
        if (t instanceof SQLException) {
          why = t;
        }
      }
    }
    String reason = firstLine(why.getMessage());
    Throwable root = why;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootReason =
        root == why || root.getMessage() == null ? null : firstLine(root.getMessage());
    if (rootReason != null && !reason.contains(rootReason)) {
      reason += " (" + rootReason + ")";
    }
    return reason;
  }

  private static String firstLine(String message) {
    if (message == null || message.isBlank()) {
      return "no detail";
    }
    int nl = message.indexOf('\n');
    return (nl < 0 ? message : message.substring(0, nl)).strip();
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  /**
   * What every store open on one H2 database in this JVM shares: the lease locks (two backends on
   * one H2 file, which only one process can open, must serialize leases with each other too) and
   * how many stores are open, so that the last one to close drops an in-memory database.
   */
  private static final class H2Database {
    private static final Map<String, H2Database> OPEN = new HashMap<>(); // guarded by itself

    final String name;
    final ConcurrentHashMap<Long, ReentrantLock> leaseLocks = new ConcurrentHashMap<>();
    int users;

    private H2Database(String name) {
      this.name = name;
    }

    static H2Database acquire(String name) {
      synchronized (OPEN) {
        H2Database db = OPEN.computeIfAbsent(name, H2Database::new);
        db.users++;
        return db;
      }
    }

    /** Whether this was the last store using the database. */
    boolean release() {
      synchronized (OPEN) {
        if (--users > 0) {
          return false;
        }
        OPEN.remove(name);
        return true;
      }
    }
  }

  private final H2Database h2;
  private boolean closed; // guarded by this

  /** Runs a lease transaction, serialized per namespace where the dialect needs it. */
  <T> T leasing(long namespaceId, Supplier<T> lease) {
    if (!dialect.serializesLeasesInProcess()) {
      return lease.get();
    }
    ReentrantLock lock = h2.leaseLocks.computeIfAbsent(namespaceId, id -> new ReentrantLock());
    lock.lock();
    try {
      return lease.get();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Closes the pool. The last store on an in-memory H2 database drops it (it is kept while any
   * store uses it, so two backends opened on one name share it).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (listener != null) {
      listener.close();
    }
    if (ownsLongPoll) {
      longPoll.close();
    }
    if (statementMeter != null) {
      config.meterRegistry().remove(statementMeter);
    }
    try {
      boolean last = h2 != null && h2.release();
      if (last && config.jdbcUrl().regionMatches(true, 0, "jdbc:h2:mem:", 0, 12)) {
        jdbi.useHandle(h -> h.execute("SHUTDOWN"));
      }
    } catch (RuntimeException e) {
      log.debug("could not shut down {}", config.describe(), e);
    } finally {
      pool.close();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Values
  // ---------------------------------------------------------------------------------------

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  static long micros(java.time.Duration d) {
    return d.toNanos() / 1000;
  }

  static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }

  static Instant instantOrNull(Long micros) {
    return micros == null ? null : instant(micros);
  }

  static byte[] cbor(Map<String, ?> data) {
    return CborCodec.encodeMap(data);
  }

  static Map<String, Object> map(byte[] cbor) {
    return CborCodec.decodeMap(cbor);
  }

  // ---------------------------------------------------------------------------------------
  // Expiry
  // ---------------------------------------------------------------------------------------

  /** How many expired leases one sweep handles; the rest wait for the next call. */
  private static final int SWEEP_BATCH = 500;

  /**
   * Expires pending attempts whose lease ran out and makes their units available. Runs at the start
   * of every call whose answer depends on it; when nothing has expired it is one index probe. Locks
   * unit rows before attempt rows like every other transaction, and skips units another
   * transaction holds (that transaction is finishing or renewing them right now). The leases it
   * records as expired are told to the unit events, per spec.
   */
  void sweep(Handle h, long now) {
    List<Long> expired =
        h.createQuery(
                "SELECT id FROM attempt WHERE status = 1 AND expiration_us < :now"
                    + " ORDER BY expiration_us FETCH FIRST " + SWEEP_BATCH + " ROWS ONLY")
            .bind("now", now)
            .mapTo(Long.class)
            .list();
    if (expired.isEmpty()) {
      return;
    }
    List<Long> units =
        h.createQuery(
                "SELECT id FROM work_unit WHERE active_attempt_id IN (<ids>) AND status = 2"
                    + " FOR UPDATE SKIP LOCKED")
            .bindList("ids", expired)
            .mapTo(Long.class)
            .list();
    if (units.isEmpty()) {
      return;
    }
    // Re-check under the lock: a renew may have moved the expiration since the first read.
    int swept =
        h.createUpdate(
                "UPDATE attempt SET status = 2, end_us = expiration_us"
                    + " WHERE status = 1 AND expiration_us < :now"
                    + " AND id IN (SELECT active_attempt_id FROM work_unit WHERE id IN (<units>))")
            .bind("now", now)
            .bindList("units", units)
            .execute();
    h.createUpdate(
            "UPDATE work_unit SET status = 1 WHERE id IN (<units>) AND status = 2 AND EXISTS"
                + " (SELECT 1 FROM attempt a WHERE a.id = work_unit.active_attempt_id"
                + " AND a.status = 2)")
        .bindList("units", units)
        .execute();
    if (swept > 0 && tellsUnitEvents()) {
      tellSwept(h, units);
    }
  }

  /**
   * Tells the expiries a sweep just recorded, per spec. Of the units it locked, exactly those it
   * swept are available now (the others are still pending: renewed meanwhile), and nobody else can
   * change them before this transaction ends. One more statement, only when something expired.
   */
  private void tellSwept(Handle h, List<Long> lockedUnits) {
    h.createQuery(
            "SELECT n.name, s.name, COUNT(*) FROM work_unit u"
                + " JOIN work_spec s ON s.id = u.spec_id JOIN namespace n ON n.id = s.namespace_id"
                + " WHERE u.id IN (<units>) AND u.status = 1 GROUP BY n.name, s.name")
        .bindList("units", lockedUnits)
        .map(
            (rs, ctx) -> {
              String namespace = rs.getString(1);
              String spec = rs.getString(2);
              // Not announced: leases run out by the clock, which every daemon's probe reads.
              tell(h, namespace, spec, UnitEvents.Transition.EXPIRED, rs.getInt(3), false);
              return null;
            })
        .list();
  }
}
