package io.coordinate.sql;

import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.InvalidWorkSpecException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.api.WorkUnitStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

final class SqlWorkSpec implements WorkSpec {
  private final SqlNamespace namespace;
  private final SqlStore store;
  private final long id;
  private final String name;

  SqlWorkSpec(SqlNamespace namespace, long id, String name) {
    this.namespace = namespace;
    this.store = namespace.store();
    this.id = id;
    this.name = name;
  }

  long id() {
    return id;
  }

  SqlNamespace sqlNamespace() {
    return namespace;
  }

  @Override
  public Namespace namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return name;
  }

  /** This spec's row, locked if {@code forUpdate}; {@link GoneException} once destroyed. */
  SpecRow row(Handle h, boolean forUpdate) {
    return h.createQuery(
            "SELECT " + SpecRow.COLUMNS + " FROM work_spec WHERE id = :id"
                + (forUpdate ? " FOR UPDATE" : ""))
        .bind("id", id)
        .map((rs, ctx) -> SpecRow.map(rs))
        .findOne()
        .orElseThrow(() -> new GoneException("work spec " + name));
  }

  void requireLive(Handle h) {
    row(h, false);
  }

  @Override
  public WorkSpecDefinition definition() {
    byte[] cbor =
        store.tx(
            (h, now) ->
                h.createQuery("SELECT definition FROM work_spec WHERE id = :id")
                    .bind("id", id)
                    .mapTo(byte[].class)
                    .findOne()
                    .orElseThrow(() -> new GoneException("work spec " + name)));
    return WorkSpecDefinition.parse(SqlStore.map(cbor));
  }

  @Override
  public void setDefinition(Map<String, ?> definition) {
    WorkSpecDefinition parsed = WorkSpecDefinition.parse(definition);
    if (!parsed.name().equals(name)) {
      throw new InvalidWorkSpecException("cannot rename work spec " + name + " to " + parsed.name());
    }
    store.txRun(
        (h, now) -> {
          row(h, true);
          SqlNamespace.writeDefinition(h, id, parsed, now);
        });
  }

  @Override
  public WorkSpecMeta meta(boolean withCounts) {
    return store.tx(
        (h, now) -> {
          WorkSpecMeta meta = row(h, false).meta();
          if (!withCounts) {
            return meta;
          }
          store.sweep(h, now);
          Map<WorkUnitStatus, Long> counts = counts(h, now);
          return meta.withCounts(
              new WorkSpecMeta.Counts(
                  counts.getOrDefault(WorkUnitStatus.AVAILABLE, 0L),
                  counts.getOrDefault(WorkUnitStatus.PENDING, 0L)));
        });
  }

  @Override
  public void setMeta(WorkSpecMeta requested) {
    if (requested == null) {
      throw new InvalidRequestException("meta must not be null");
    }
    store.txRun(
        (h, now) -> {
          WorkSpecMeta m = row(h, true).meta().applyChange(requested);
          h.createUpdate(
                  "UPDATE work_spec SET priority = :priority, weight = :weight, paused = :paused,"
                      + " continuous = :continuous, interval_us = :interval,"
                      + " next_continuous_us = :nextContinuous, max_running = :maxRunning,"
                      + " max_getwork = :maxGetwork, max_retries = :maxRetries WHERE id = :id")
              .bind("id", id)
              .bind("priority", m.priority())
              .bind("weight", m.weight())
              .bind("paused", m.paused())
              .bind("continuous", m.continuous())
              .bind("interval", SpecRow.intervalMicros(m))
              .bind("nextContinuous", SqlStore.micros(m.nextContinuous()))
              .bind("maxRunning", m.maxRunning())
              .bind("maxGetwork", m.maxAttemptsReturned())
              .bind("maxRetries", m.maxRetries())
              .execute();
          SpecPolicies.write(h, id, m, now);
        });
  }

  @Override
  public int archive(int maxUnits) {
    return Archiving.archive(store, this, maxUnits);
  }

  // ---------------------------------------------------------------------------------------
  // Adding units
  // ---------------------------------------------------------------------------------------

  @Override
  public WorkUnit addWorkUnit(WorkUnitKey key, Map<String, ?> data, WorkUnitMeta meta) {
    NewWorkUnit unit = NewWorkUnit.of(key, data, meta);
    long unitId =
        store.tx(
            (h, now) -> {
              addOrGone(h, List.of(unit), now);
              return unitId(h, key);
            });
    return new SqlWorkUnit(this, unitId, key);
  }

  @Override
  public void addWorkUnits(List<NewWorkUnit> units) {
    List<NewWorkUnit> copy = NewWorkUnit.copyOfBatch(units);
    store.txRun(
        (h, now) -> addOrGone(h, copy, now));
  }

  private void addOrGone(Handle h, List<NewWorkUnit> units, long now) {
    if (!upsert(h, store, this, units, now)) {
      throw new GoneException("work spec " + name);
    }
  }

  /**
   * Adds units, or replaces the data and meta of those whose key exists and queues them again,
   * whatever their state: a pending lease on such a unit is lost (its attempt expires now) and its
   * past attempts stay. One batch per step; callers hold the transaction, so it is all or nothing.
   * A key given twice takes its last data. Returns false, adding nothing, if the spec is gone.
   *
   * <p>No foreign key guards {@code work_unit.spec_id} (checking it row by row doubled the cost of
   * a bulk add); the lock this takes on the spec ({@link Dialect#lockSpecForAdding}) does instead:
   * destroying a spec or its namespace waits for that lock and then deletes the units, so an add
   * either commits first and its units are deleted, or waits and finds the spec gone.
   */
  static boolean upsert(
      Handle h, SqlStore store, SqlWorkSpec spec, List<NewWorkUnit> units, long now) {
    Dialect dialect = store.dialect;
    long specId = spec.id();
    if (!dialect.lockSpecForAdding(h, specId)) {
      return false;
    }
    units = lastOfEachKey(units);
    if (units.isEmpty()) {
      return true;
    }
    store.tell(h, spec, UnitEvents.Transition.ADDED, units.size()); // told only if this commits
    List<NewWorkUnit> existing = new ArrayList<>();
    List<NewWorkUnit> found = dialect.insertUnitsIfAbsent(h, specId, units);
    if (found != null) {
      // New keys, the common case, take one statement; the rest are then re-queued.
      while (!found.isEmpty()) {
        int[] requeued = requeue(h, specId, found);
        List<NewWorkUnit> pending = new ArrayList<>();
        for (int i = 0; i < found.size(); i++) {
          if (requeued[i] > 0) {
            existing.add(found.get(i));
          } else {
            pending.add(found.get(i)); // deleted by another transaction in between: insert it
          }
        }
        found = pending.isEmpty() ? List.of() : dialect.insertUnitsIfAbsent(h, specId, pending);
      }
    } else {
      int[] requeued = requeue(h, specId, units);
      List<NewWorkUnit> missing = new ArrayList<>();
      for (int i = 0; i < units.size(); i++) {
        if (requeued[i] > 0) {
          existing.add(units.get(i));
        } else {
          missing.add(units.get(i));
        }
      }
      if (!missing.isEmpty()) {
        bindUnits(
                h.prepareBatch(
                    "INSERT INTO work_unit (spec_id, unit_key, data, priority, not_before_us,"
                        + " status) VALUES (:spec, :key, :data, :priority, :notBefore, 1)"),
                specId,
                missing)
            .execute();
      }
    }
    if (existing.isEmpty()) {
      return true;
    }
    // The unit rows are locked by the re-queue above, so this keeps the unit-then-attempt order.
    // A unit's only pending attempt is its active one, which the re-queue just dropped.
    PreparedBatch expire =
        h.prepareBatch(
            "UPDATE attempt SET status = 2, end_us = :now WHERE status = 1 AND unit_id ="
                + " (SELECT id FROM work_unit WHERE spec_id = :spec AND unit_key = :key)");
    for (NewWorkUnit u : existing) {
      expire.bind("now", now).bind("spec", specId).bind("key", u.key().toByteArray()).add();
    }
    int lost = 0;
    for (int n : expire.execute()) {
      lost += Math.max(n, 0); // a driver that cannot tell answers SUCCESS_NO_INFO (-2)
    }
    store.tell(h, spec, UnitEvents.Transition.EXPIRED, lost);
    return true;
  }

  /** The units with each key once, taking its last data and meta as adding them in turn would. */
  private static List<NewWorkUnit> lastOfEachKey(List<NewWorkUnit> units) {
    Map<WorkUnitKey, NewWorkUnit> byKey = new LinkedHashMap<>();
    for (NewWorkUnit u : units) {
      byKey.put(u.key(), u);
    }
    return byKey.size() == units.size() ? units : List.copyOf(byKey.values());
  }

  /**
   * Replaces existing units' data and meta and makes them available with no active attempt;
   * returns per unit how many rows changed (0: no such key). The unit is found by key in a
   * subquery: H2 plans an UPDATE filtered on the key columns through the spec_id index alone,
   * reading every unit of the spec for each key.
   */
  private static int[] requeue(Handle h, long specId, List<NewWorkUnit> units) {
    return bindUnits(
            h.prepareBatch(
                "UPDATE work_unit SET data = :data, priority = :priority,"
                    + " not_before_us = :notBefore, status = 1, active_attempt_id = NULL"
                    + " WHERE id = (SELECT id FROM work_unit WHERE spec_id = :spec"
                    + " AND unit_key = :key)"),
            specId,
            units)
        .execute();
  }

  private static PreparedBatch bindUnits(PreparedBatch batch, long specId, List<NewWorkUnit> units) {
    for (NewWorkUnit u : units) {
      batch
          .bind("spec", specId)
          .bind("key", u.key().toByteArray())
          .bind("data", SqlStore.cbor(u.data()))
          .bind("priority", u.meta().priority())
          .bind(
              "notBefore",
              u.meta().notBefore() == null ? null : SqlStore.micros(u.meta().notBefore()))
          .add();
    }
    return batch;
  }

  private long unitId(Handle h, WorkUnitKey key) {
    return h.createQuery("SELECT id FROM work_unit WHERE spec_id = :spec AND unit_key = :key")
        .bind("spec", id)
        .bind("key", key.toByteArray())
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(() -> new NoSuchWorkUnitException(name, key));
  }

  // ---------------------------------------------------------------------------------------
  // Reading and changing units
  // ---------------------------------------------------------------------------------------

  @Override
  public WorkUnit workUnit(WorkUnitKey key) {
    if (key == null) {
      throw new InvalidRequestException("work unit key must not be null");
    }
    long unitId =
        store.tx(
            (h, now) -> {
              requireLive(h);
              return unitId(h, key);
            });
    return new SqlWorkUnit(this, unitId, key);
  }

  /**
   * What every query over the spec's units does first: check the spec still exists and, when the
   * query filters by status, sweep expired leases so that the statuses it reads are current.
   */
  private void beginUnitQuery(Handle h, long now, WorkUnitQuery query) {
    requireLive(h);
    if (!query.statuses().isEmpty()) {
      store.sweep(h, now);
    }
  }

  @Override
  public List<WorkUnit> workUnits(WorkUnitQuery query) {
    UnitQuerySql q = new UnitQuerySql(query);
    return store.tx(
        (h, now) -> {
          beginUnitQuery(h, now, query);
          return q.bind(
                  h.createQuery("SELECT id, unit_key FROM work_unit WHERE " + q.where() + q.orderAndLimit()),
                  id,
                  now)
              .map(
                  (rs, ctx) ->
                      (WorkUnit)
                          new SqlWorkUnit(this, rs.getLong("id"), WorkUnitKey.of(rs.getBytes("unit_key"))))
              .list();
        });
  }

  @Override
  public List<WorkUnitSnapshot> workUnitSnapshots(WorkUnitQuery query) {
    UnitQuerySql q = new UnitQuerySql(query);
    return store.tx(
        (h, now) -> {
          beginUnitQuery(h, now, query);
          // The units are selected (and limited) first, so the query's unqualified columns stay
          // the unit's, then joined to their active attempts.
          return q.bind(
                  h.createQuery(
                      "SELECT u.unit_key, u.data, u.priority, u.not_before_us, u.status,"
                          + " a.status AS a_status, a.data AS a_data, a.start_us, a.end_us,"
                          + " a.expiration_us, w.name AS worker"
                          + " FROM (SELECT * FROM work_unit WHERE " + q.where() + q.orderAndLimit()
                          + ") u LEFT JOIN attempt a ON a.id = u.active_attempt_id"
                          + " LEFT JOIN worker w ON w.id = a.worker_id ORDER BY u.unit_key"),
                  id,
                  now)
              .map((rs, ctx) -> snapshot(rs, now))
              .list();
        });
  }

  private static WorkUnitSnapshot snapshot(ResultSet rs, long now) throws SQLException {
    WorkUnitSnapshot.LastAttempt last = null;
    Long leaseExpiration = null;
    int attemptCode = rs.getInt("a_status");
    if (!rs.wasNull()) {
      byte[] attemptData = rs.getBytes("a_data");
      long expiration = rs.getLong("expiration_us");
      long end = rs.getLong("end_us");
      Instant endTime = rs.wasNull() ? null : SqlStore.instant(end);
      last =
          new WorkUnitSnapshot.LastAttempt(
              rs.getString("worker"),
              Codes.attemptStatus(attemptCode),
              attemptData == null ? null : SqlStore.map(attemptData),
              SqlStore.instant(rs.getLong("start_us")),
              endTime,
              SqlStore.instant(expiration));
      leaseExpiration = expiration;
    }
    long notBefore = rs.getLong("not_before_us");
    Long notBeforeUs = rs.wasNull() ? null : notBefore;
    return new WorkUnitSnapshot(
        WorkUnitKey.of(rs.getBytes("unit_key")),
        SqlStore.map(rs.getBytes("data")),
        new WorkUnitMeta(rs.getDouble("priority"), SqlStore.instantOrNull(notBeforeUs)),
        Codes.unitStatus(rs.getInt("status"), notBeforeUs, leaseExpiration, now),
        last);
  }

  @Override
  public void restoreWorkUnits(List<WorkUnitSnapshot> snapshots) {
    List<WorkUnitSnapshot> units = lastSnapshotOfEachKey(List.copyOf(snapshots));
    List<NewWorkUnit> added = new ArrayList<>(units.size());
    List<WorkUnitSnapshot> withAttempt = new ArrayList<>();
    for (WorkUnitSnapshot u : units) {
      added.add(new NewWorkUnit(u.key(), u.data(), u.meta()));
      if (u.lastAttempt() != null) {
        withAttempt.add(u);
      }
    }
    store.txRun(
        (h, now) -> {
          addOrGone(h, added, now);
          if (!withAttempt.isEmpty()) {
            restoreAttempts(h, withAttempt, now);
          }
        });
  }

  private static List<WorkUnitSnapshot> lastSnapshotOfEachKey(List<WorkUnitSnapshot> units) {
    Map<WorkUnitKey, WorkUnitSnapshot> byKey = new LinkedHashMap<>();
    for (WorkUnitSnapshot u : units) {
      byKey.put(u.key(), u);
    }
    return byKey.size() == units.size() ? units : List.copyOf(byKey.values());
  }

  /**
   * Gives the just added (or re-queued) units their restored attempts, as their active ones: the
   * workers first (created inactive when missing), then one attempt row per unit, then the units'
   * status and active attempt, each a batch.
   */
  private void restoreAttempts(Handle h, List<WorkUnitSnapshot> units, long now) {
    long namespaceId = namespace.id();
    Map<String, Long> workerIds = new HashMap<>();
    Set<String> names = new TreeSet<>();
    units.forEach(u -> names.add(u.lastAttempt().worker()));
    for (List<String> chunk : chunks(List.copyOf(names), 1_000)) {
      h.createQuery("SELECT name, id FROM worker WHERE namespace_id = :ns AND name IN (<names>)")
          .bind("ns", namespaceId)
          .bindList("names", chunk)
          .map((rs, ctx) -> Map.entry(rs.getString("name"), rs.getLong("id")))
          .forEach(e -> workerIds.put(e.getKey(), e.getValue()));
    }
    byte[] noData = SqlStore.cbor(Map.of());
    for (String name : names) {
      if (!workerIds.containsKey(name)) {
        // A concurrent create of the same worker fails this transaction on the unique name, and
        // the store runs it again, finding the worker then.
        workerIds.put(
            name,
            h.createUpdate(
                    "INSERT INTO worker (namespace_id, name, parent_id, mode, data, active,"
                        + " last_update_us, expiration_us) VALUES (:ns, :name, NULL, '', :data,"
                        + " FALSE, :now, :now)")
                .bind("ns", namespaceId)
                .bind("name", name)
                .bind("data", noData)
                .bind("now", now)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one());
      }
    }
    PreparedBatch attempts =
        h.prepareBatch(
            "INSERT INTO attempt (unit_id, worker_id, status, data, start_us, end_us,"
                + " expiration_us) SELECT id, :worker, :status, :data, :start, :end, :expiration"
                + " FROM work_unit WHERE spec_id = :spec AND unit_key = :key");
    PreparedBatch activate =
        h.prepareBatch(
            "UPDATE work_unit SET status = :unitStatus, ended_us = :ended,"
                + " attempt_count = attempt_count + 1,"
                + " active_attempt_id = (SELECT MAX(a.id) FROM attempt a"
                + " WHERE a.unit_id = work_unit.id)"
                + " WHERE id = (SELECT id FROM work_unit WHERE spec_id = :spec AND unit_key = :key)");
    for (WorkUnitSnapshot u : units) {
      WorkUnitSnapshot.LastAttempt a = u.lastAttempt().restored();
      byte[] key = u.key().toByteArray();
      attempts
          .bind("worker", workerIds.get(a.worker()))
          .bind("status", Codes.attemptCode(a.status()))
          .bind("data", a.data() == null ? null : SqlStore.cbor(a.data()))
          .bind("start", SqlStore.micros(a.startTime()))
          .bind("end", SqlStore.micros(a.endTime()))
          .bind("expiration", SqlStore.micros(a.expirationTime()))
          .bind("spec", id)
          .bind("key", key)
          .add();
      activate
          .bind("unitStatus", Codes.unitCodeFor(a.status()))
          .bind("ended", SqlStore.micros(a.endTime()))
          .bind("spec", id)
          .bind("key", key)
          .add();
    }
    attempts.execute();
    activate.execute();
  }

  private static <T> List<List<T>> chunks(List<T> items, int size) {
    List<List<T>> chunks = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      chunks.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return chunks;
  }

  @Override
  public WorkUnitCounts countWorkUnitStatus() {
    return new WorkUnitCounts(
        store.tx(
            (h, now) -> {
              requireLive(h);
              store.sweep(h, now);
              return counts(h, now);
            }));
  }

  private Map<WorkUnitStatus, Long> counts(Handle h, long now) {
    Map<WorkUnitStatus, Long> counts = new EnumMap<>(WorkUnitStatus.class);
    h.createQuery(
            "SELECT code, delayed, COUNT(*) FROM (SELECT status AS code,"
                + " CASE WHEN status = 1 AND not_before_us > :now THEN 1 ELSE 0 END AS delayed"
                + " FROM work_unit WHERE spec_id = :spec) t GROUP BY code, delayed")
        .bind("now", now)
        .bind("spec", id)
        .map(
            (rs, ctx) -> {
              int code = rs.getInt(1);
              WorkUnitStatus status =
                  rs.getInt(2) == 1
                      ? WorkUnitStatus.DELAYED
                      : Codes.unitStatus(code, null, null, now);
              counts.merge(status, rs.getLong(3), Long::sum);
              return null;
            })
        .list();
    return counts;
  }

  @Override
  public int setWorkUnitPriorities(WorkUnitQuery query, double priority) {
    return changePriorities(query, "priority = :value", priority);
  }

  @Override
  public int adjustWorkUnitPriorities(WorkUnitQuery query, double adjustment) {
    return changePriorities(query, "priority = priority + :value", adjustment);
  }

  private int changePriorities(WorkUnitQuery query, String assignment, double value) {
    if (Double.isNaN(value)) {
      throw new InvalidRequestException("priority must be a number, not NaN");
    }
    return forSelected(
        query,
        (h, where, binder) ->
            binder.apply(h.createUpdate("UPDATE work_unit SET " + assignment + " WHERE " + where))
                .bind("value", value)
                .execute());
  }

  @Override
  public int deleteWorkUnits(WorkUnitQuery query) {
    return forSelected(
        query,
        (h, where, binder) ->
            binder.apply(h.createUpdate("DELETE FROM work_unit WHERE " + where)).execute());
  }

  private interface SelectedAction {
    int apply(Handle h, String where, java.util.function.UnaryOperator<org.jdbi.v3.core.statement.Update> binder);
  }

  /**
   * Runs an UPDATE or DELETE over the units a query selects. With a limit the ids are selected
   * first (in key order), since neither database limits an UPDATE portably.
   */
  private int forSelected(WorkUnitQuery query, SelectedAction action) {
    UnitQuerySql q = new UnitQuerySql(query);
    return store.tx(
        (h, now) -> {
          beginUnitQuery(h, now, query);
          if (!q.hasLimit()) {
            return action.apply(h, q.where(), u -> q.bind(u, id, now));
          }
          List<Long> ids =
              q.bind(h.createQuery("SELECT id FROM work_unit WHERE " + q.where() + q.orderAndLimit()), id, now)
                  .mapTo(Long.class)
                  .list();
          if (ids.isEmpty()) {
            return 0;
          }
          return action.apply(h, "id IN (<ids>)", u -> u.bindList("ids", ids));
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlWorkSpec other && other.id == id && other.store == store;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "WorkSpec[" + name + "]";
  }
}
