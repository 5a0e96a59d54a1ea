package io.coordinate.sql;

import io.coordinate.api.Coordinate;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The SQL backend: Coordinate over JDBI and HikariCP, on embedded H2 or on PostgreSQL, schema
 * managed by Flyway. Several instances (several daemons) may share one PostgreSQL database; see the
 * package documentation for how leasing stays exact among them.
 */
public final class SqlCoordinate implements Coordinate {
  private final SqlStore store;

  private SqlCoordinate(SqlStore store) {
    this.store = store;
  }

  /**
   * Opens (and migrates) the database.
   *
   * @throws io.coordinate.api.BackendUnavailableException if it cannot be reached
   */
  public static SqlCoordinate open(SqlConfig config) {
    return new SqlCoordinate(new SqlStore(config));
  }

  /** Opens the database at {@code url}: see {@link SqlConfig#of(String)} for the forms. */
  public static SqlCoordinate open(String url) {
    return open(SqlConfig.of(url));
  }

  @Override
  public Namespace namespace(String name) {
    if (name == null) {
      throw new InvalidRequestException("namespace name must not be null");
    }
    long id =
        store.tx(
            (h, now) -> {
              var existing =
                  h.createQuery("SELECT id FROM namespace WHERE name = :name")
                      .bind("name", name)
                      .mapTo(Long.class)
                      .findOne();
              if (existing.isPresent()) {
                return existing.get();
              }
              // A concurrent creator makes this fail with a unique violation; the retry finds it.
              return h.createUpdate("INSERT INTO namespace (name) VALUES (:name)")
                  .bind("name", name)
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
            });
    return new SqlNamespace(store, id, name);
  }

  @Override
  public List<String> namespaceNames() {
    List<String> names =
        new ArrayList<>(
            store.tx((h, now) -> h.createQuery("SELECT name FROM namespace").mapTo(String.class).list()));
    names.sort(null); // Java order, not the database collation
    return names;
  }

  /**
   * SQL statements this backend has executed since it opened, for metrics and benchmarks. Every
   * statement sent to the database counts once (a batch, a bulk COPY, and a statement the database
   * rejected included); transaction control and the schema migration do not. Cheap to read, and
   * never decreases.
   */
  public long statementsExecuted() {
    return store.statementsExecuted();
  }

  @Override
  public MaintenanceState maintenance() {
    return store.tx(
        (h, now) ->
            h.createQuery("SELECT active, reason, since_us FROM maintenance WHERE id = 1")
                .map(
                    (rs, ctx) -> {
                      long since = rs.getLong("since_us");
                      Instant sinceTime = rs.wasNull() ? null : SqlStore.instant(since);
                      return new MaintenanceState(
                          rs.getBoolean("active"), rs.getString("reason"), sinceTime);
                    })
                .one());
  }

  @Override
  public void setMaintenance(boolean on, String reason) {
    String recorded = on && reason != null ? reason : "";
    if (recorded.length() > 1000) {
      throw new InvalidRequestException("maintenance reason must be at most 1000 characters");
    }
    store.txRun(
        (h, now) ->
            h.createUpdate(
                    "UPDATE maintenance SET active = :on, reason = :reason, since_us = :now"
                        + " WHERE id = 1")
                .bind("on", on)
                .bind("reason", recorded)
                .bind("now", now)
                .execute());
  }

  @Override
  public void close() {
    store.close();
  }
}
