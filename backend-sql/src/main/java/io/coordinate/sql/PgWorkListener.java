package io.coordinate.sql;

import io.coordinate.api.scheduling.LongPoll;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work news between processes sharing one PostgreSQL database: a transaction that makes work
 * appear announces it with {@code pg_notify} (delivered when it commits, dropped if it rolls back),
 * and each process listens on one connection of its own, outside the pool, and wakes its waiting
 * requests. Listening starts with the first waiting request: a process nobody long-polls holds no
 * extra connection. The connection waits on its socket; only after a quiet {@link
 * #KEEPALIVE_MILLIS} does it send a query, to notice a connection that died silently.
 */
final class PgWorkListener implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PgWorkListener.class);

  static final String CHANNEL = "coordinate_work";
  private static final int KEEPALIVE_MILLIS = 30_000;
  private static final int WAKE_MILLIS = 500;
  private static final int MAX_BACKOFF_MILLIS = 5_000;
  /** PostgreSQL refuses payloads of 8,000 bytes or more; longer names are left to the probe. */
  private static final int MAX_PAYLOAD_BYTES = 7_900;

  private final SqlConfig config;
  private final LongPoll longPoll;
  /** Tells this process's own announcements apart: its waiters were woken already. */
  private final String instance = UUID.randomUUID().toString();

  private final String schema;
  private Thread thread; // guarded by this
  private volatile boolean closed;

  PgWorkListener(SqlConfig config, LongPoll longPoll) {
    this.config = config;
    this.longPoll = longPoll;
    this.schema = config.schema() == null ? "" : config.schema();
  }

  /** Starts listening (once). */
  synchronized void start() {
    if (thread == null && !closed) {
      thread = Thread.ofPlatform().daemon().name("coordinate-listen").start(this::listen);
    }
  }

  /**
   * Announces, within the transaction of {@code h}, that {@code units} units of {@code spec} may be
   * taken: other processes hear of it if and when the transaction commits.
   */
  void announce(Handle h, String namespace, String spec, int units) {
    String payload =
        instance + '\t' + schema + '\t' + units + '\t' + namespace.length() + '\t' + namespace
            + spec;
    if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      return;
    }
    h.createQuery("SELECT 1 FROM (SELECT pg_notify(:channel, :payload)) n")
        .bind("channel", CHANNEL)
        .bind("payload", payload)
        .mapTo(Integer.class)
        .one();
  }

  private void listen() {
    long backoff = 100;
    boolean failing = false;
    while (!closed) {
      try (Connection c =
          DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password())) {
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + CHANNEL);
        }
        if (failing) {
          log.info("listening for work news on {} again", config.describe());
          failing = false;
        }
        backoff = 100;
        longPoll.signalAll(); // what was announced while nobody listened
        PGConnection pg = c.unwrap(PGConnection.class);
        long quietSince = System.nanoTime();
        while (!closed) {
          // A socket wait with a timeout, so that close() is noticed; nothing is sent.
          PGNotification[] news = pg.getNotifications(WAKE_MILLIS);
          if (news != null && news.length > 0) {
            for (PGNotification n : news) {
              deliver(n.getParameter());
            }
            quietSince = System.nanoTime();
          } else if (System.nanoTime() - quietSince > KEEPALIVE_MILLIS * 1_000_000L) {
            try (Statement s = c.createStatement()) {
              s.execute("SELECT 1");
            }
            quietSince = System.nanoTime();
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (closed) {
          return;
        }
        if (!failing) {
          log.warn(
              "lost the work news connection to {} ({}); waiting requests fall back to probing"
                  + " until it is back",
              config.describe(),
              e.getMessage());
          failing = true;
        }
        longPoll.signalAll();
        try {
          Thread.sleep(backoff);
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
  }

  private void deliver(String payload) {
    String[] parts = payload.split("\t", 5);
    if (parts.length != 5 || parts[0].equals(instance) || !parts[1].equals(schema)) {
      return;
    }
    try {
      int units = Integer.parseInt(parts[2]);
      int namespaceLength = Integer.parseInt(parts[3]);
      String names = parts[4];
      longPoll.signal(
          names.substring(0, namespaceLength), names.substring(namespaceLength), units);
    } catch (RuntimeException e) {
      log.debug("ignored a work news payload it cannot read: {}", payload);
    }
  }

  /** Stops listening: the thread closes its connection within {@link #WAKE_MILLIS}. */
  @Override
  public synchronized void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt(); // cuts a reconnection back-off short
    }
  }
}
