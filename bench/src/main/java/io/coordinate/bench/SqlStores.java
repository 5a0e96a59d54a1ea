package io.coordinate.bench;

import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The SQL stores the benchmarks run on, each opened on fresh, empty tables:
 *
 * <ul>
 *   <li>{@code h2}: an H2 file database in a new temporary directory ({@link SqlConfig#h2File}),
 *       deleted again on close;
 *   <li>{@code h2;OPTION=VALUE…}: the same with these options appended to the JDBC URL;
 *   <li>{@code pg}: the PostgreSQL database named by {@value #PG_URL_ENV} (for example {@code
 *       postgres://coordinate:coordinate@127.0.0.1:5432/coordinate}), in the schema {@value
 *       #PG_SCHEMA}, which is dropped and re-created on every open so that nothing else in that
 *       database is touched and every run starts from empty tables.
 * </ul>
 */
final class SqlStores {
  /** Environment variable naming the PostgreSQL database the benchmarks may use. */
  static final String PG_URL_ENV = "COORDINATE_BENCH_PG_URL";

  /** The schema the JMH benchmarks own on PostgreSQL (dropped and re-created on open). */
  static final String PG_SCHEMA = "coordinate_bench";

  private SqlStores() {}

  /** An open backend and what it takes to remove it again. */
  record Opened(SqlCoordinate coordinate, SqlConfig config, Path tempDir) implements AutoCloseable {
    @Override
    public void close() {
      coordinate.close();
      if (tempDir != null) {
        deleteTree(tempDir);
      }
    }
  }

  /** Opens store {@code name} ({@code h2…} or {@code pg}) on empty tables. */
  static Opened open(String name) {
    return open(name, null);
  }

  /**
   * Opens store {@code name} on empty tables and runs {@code fill} on it (untimed set-up), followed
   * on PostgreSQL by an {@code ANALYZE} of the filled tables.
   */
  static Opened open(String name, Consumer<SqlCoordinate> fill) {
    Opened opened;
    if (name.equals("pg")) {
      opened = openPostgres(pgUrl(), PG_SCHEMA);
    } else {
      String options;
      if (name.equals("h2") || name.startsWith("h2;")) {
        options = name.substring(2);
      } else {
        throw new IllegalArgumentException(
            "unknown store " + name + " (h2, h2;OPTION=VALUE… or pg)");
      }
      Path dir;
      try {
        dir = Files.createTempDirectory("coordinate-bench-h2");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      SqlConfig config = SqlConfig.of(SqlConfig.h2File(dir).jdbcUrl() + options);
      opened = new Opened(SqlCoordinate.open(config), config, dir);
    }
    if (fill != null) {
      fill.accept(opened.coordinate());
      analyze(opened);
    }
    return opened;
  }

  /** Opens PostgreSQL at {@code url} in {@code schema}, dropping whatever the schema held. */
  static Opened openPostgres(String url, String schema) {
    SqlConfig config = SqlConfig.of(url).withSchema(schema);
    execute(config, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    return new Opened(SqlCoordinate.open(config), config, null);
  }

  /** The PostgreSQL URL from {@value #PG_URL_ENV}; fails with a clear message when unset. */
  static String pgUrl() {
    String url = System.getenv(PG_URL_ENV);
    if (url == null || url.isBlank()) {
      throw new IllegalStateException(
          "set " + PG_URL_ENV + " to a PostgreSQL URL, e.g. "
              + "postgres://coordinate:coordinate@127.0.0.1:5432/coordinate");
    }
    return url;
  }

  /**
   * Refreshes the planner's statistics after a bulk fill, as autovacuum would shortly after; without
   * it the first minute after a fill of a million rows runs on the statistics of an empty table.
   * Does nothing on H2.
   */
  static void analyze(Opened store) {
    if (store.config().jdbcUrl().startsWith("jdbc:postgresql:")) {
      String schema = store.config().schema();
      execute(store.config(), "ANALYZE " + schema + ".work_unit");
      execute(store.config(), "ANALYZE " + schema + ".attempt");
    }
  }

  /** Runs one statement on a connection of its own. */
  static void execute(SqlConfig config, String sql) {
    try (Connection c =
            DriverManager.getConnection(config.jdbcUrl(), config.user(), config.password());
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run \"" + sql + "\" on " + config.jdbcUrl() + ": " + e, e);
    }
  }

  static void deleteTree(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + dir + ": " + e);
    }
  }
}
