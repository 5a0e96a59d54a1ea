package io.coordinate.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.coordinate.api.BackendUnavailableException;
import io.coordinate.api.CoordinateException;
import io.coordinate.api.data.CborCodec;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.BiConsumer;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;
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

  /** The body of a transaction: gets the handle and the transaction's time in microseconds. */
  interface TxBody<T> {
    T run(Handle h, long now);
  }

  SqlStore(SqlConfig config) {
    this.config = config;
    this.dialect = Dialect.of(config.jdbcUrl());
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(config.jdbcUrl());
    if (config.user() != null) {
      hc.setUsername(config.user());
    }
    if (config.password() != null) {
      hc.setPassword(config.password());
    }
    if (config.schema() != null) {
      hc.setSchema(config.schema());
    }
    hc.setMaximumPoolSize(config.poolSize());
    hc.setConnectionTimeout(Math.max(250, config.connectionTimeout().toMillis()));
    hc.setInitializationFailTimeout(-1); // start even if the database is down; calls fail cleanly
    hc.setPoolName("coordinate-" + config.describe());
    hc.setAutoCommit(true);
    this.pool = new HikariDataSource(hc);
    try {
      migrate();
    } catch (RuntimeException e) {
      pool.close();
      throw unavailable(e);
    }
    this.jdbi = Jdbi.create(pool);
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
  // Transactions and errors
  // ---------------------------------------------------------------------------------------

  <T> T tx(TxBody<T> body) {
    for (int attempt = 1; ; attempt++) {
      long now = micros(config.clock().instant());
      try {
        return jdbi.inTransaction(TransactionIsolationLevel.READ_COMMITTED, h -> body.run(h, now));
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

  /** Deadlocks, serialization failures and unique-key races of get-or-create: try again. */
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
            || state.equals("HYT00")); // H2 lock timeout
  }

  private BackendUnavailableException unavailable(Throwable e) {
    SQLException sql = sqlCause(e);
    boolean unreachable =
        sql instanceof SQLTransientConnectionException
            || (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("08"));
    String what = unreachable ? "cannot reach database " : "database error on ";
    String detail = sql != null ? sql.getMessage() : e.getMessage();
    if (!unreachable) {
      log.warn("database error on {}", config.describe(), e);
    }
    return new BackendUnavailableException(what + config.describe() + ": " + detail, e);
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }

  private final ConcurrentHashMap<Long, ReentrantLock> leaseLocks = new ConcurrentHashMap<>();

  /** Runs a lease transaction, serialized per namespace where the dialect needs it. */
  <T> T leasing(long namespaceId, Supplier<T> lease) {
    if (!dialect.serializesLeasesInProcess()) {
      return lease.get();
    }
    ReentrantLock lock = leaseLocks.computeIfAbsent(namespaceId, id -> new ReentrantLock());
    lock.lock();
    try {
      return lease.get();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    pool.close();
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
   * transaction holds (that transaction is finishing or renewing them right now).
   */
  static void sweep(Handle h, long now) {
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
  }
}
