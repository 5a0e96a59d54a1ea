package io.coordinate.sql;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptState;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.LostLeaseException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NotPendingException;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.Worker;
import io.coordinate.api.chaining.WorkUnitOutputs;
import io.coordinate.api.data.DataValues;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;

/**
 * An attempt handle and the attempt transitions (the rules are documented on {@link Attempt}).
 * Every transition locks the unit row first, then reads the attempt: the same order as leasing and
 * the expiry sweep, so they serialize per unit without deadlocks.
 */
final class SqlAttempt implements Attempt {
  private final SqlWorkUnit unit;
  private final SqlWorker worker;
  private final long id;
  private final SqlStore store;

  SqlAttempt(SqlWorkUnit unit, SqlWorker worker, long id) {
    this.unit = unit;
    this.worker = worker;
    this.id = id;
    this.store = unit.sqlSpec().sqlNamespace().store();
  }

  /** The handle of attempt {@code attemptId} of {@code unit}, with its worker. */
  static SqlAttempt load(Handle h, SqlWorkUnit unit, long attemptId) {
    return h.createQuery(
            "SELECT w.id, w.name FROM attempt a JOIN worker w ON w.id = a.worker_id"
                + " WHERE a.id = :id")
        .bind("id", attemptId)
        .map(
            (rs, ctx) ->
                new SqlAttempt(
                    unit,
                    new SqlWorker(unit.sqlSpec().sqlNamespace(), rs.getLong(1), rs.getString(2)),
                    attemptId))
        .findOne()
        .orElseThrow(unit::gone);
  }

  /** Attempts selected by a WHERE clause over {@code attempt a}, with their units and workers. */
  static List<Attempt> list(Handle h, SqlNamespace ns, String where, Map<String, Object> binds) {
    var query =
        h.createQuery(
            "SELECT a.id, a.unit_id, u.unit_key, s.id AS spec_id, s.name AS spec_name,"
                + " w.id AS worker_id, w.name AS worker_name"
                + " FROM attempt a JOIN work_unit u ON u.id = a.unit_id"
                + " JOIN work_spec s ON s.id = u.spec_id JOIN worker w ON w.id = a.worker_id"
                + " WHERE " + where + " ORDER BY a.id");
    binds.forEach(query::bind);
    return query
        .map(
            (rs, ctx) -> {
              SqlWorkSpec spec = new SqlWorkSpec(ns, rs.getLong("spec_id"), rs.getString("spec_name"));
              SqlWorkUnit unit =
                  new SqlWorkUnit(spec, rs.getLong("unit_id"), WorkUnitKey.of(rs.getBytes("unit_key")));
              SqlWorker worker = new SqlWorker(ns, rs.getLong("worker_id"), rs.getString("worker_name"));
              return (Attempt) new SqlAttempt(unit, worker, rs.getLong("id"));
            })
        .list();
  }

  @Override
  public WorkUnit workUnit() {
    return unit;
  }

  @Override
  public Worker worker() {
    return worker;
  }

  /** The attempt columns a transition needs. */
  private record Row(int code, byte[] data, long start, Long end, long expiration) {
    AttemptStatus status(long now) {
      return ranOut(now) ? AttemptStatus.EXPIRED : Codes.attemptStatus(code);
    }

    /** Pending in the table, but its lease ran out and no sweep has recorded that yet. */
    boolean ranOut(long now) {
      return code == Codes.ATTEMPT_PENDING && expiration < now;
    }
  }

  private Row row(Handle h) {
    return row(h, false);
  }

  /**
   * The attempt's row; {@code lock}ed by a change, after its unit's row. The unit's lock already
   * orders changes, but H2 can let a transaction waiting for that lock go on while the one it waited
   * for is still committing, and a plain read then sees the attempt as it was before that commit;
   * locking the attempt's row reads its committed state.
   */
  private Row row(Handle h, boolean lock) {
    return h.createQuery(
            "SELECT status, data, start_us, end_us, expiration_us FROM attempt WHERE id = :id"
                + (lock ? " FOR UPDATE" : ""))
        .bind("id", id)
        .map(
            (rs, ctx) ->
                new Row(
                    rs.getInt(1),
                    rs.getBytes(2),
                    rs.getLong(3),
                    rs.getObject(4, Long.class),
                    rs.getLong(5)))
        .findOne()
        .orElseThrow(unit::gone);
  }

  private <T> T read(BiFunction<Row, Long, T> field) {
    return store.tx(
        (h, now) -> {
          unit.row(h, false);
          return field.apply(row(h), now);
        });
  }

  @Override
  public AttemptStatus status() {
    return read((r, now) -> r.status(now));
  }

  @Override
  public Map<String, Object> data() {
    // One statement: the job server reads it for every unit it hands out.
    byte[] cbor =
        store.tx(
            (h, now) ->
                h.createQuery(
                        "SELECT COALESCE(a.data, u.data) FROM attempt a"
                            + " JOIN work_unit u ON u.id = a.unit_id"
                            + " WHERE a.id = :id AND u.id = :unit")
                    .bind("id", id)
                    .bind("unit", unit.id())
                    .mapTo(byte[].class)
                    .findOne()
                    .orElseThrow(unit::gone));
    return SqlStore.map(cbor);
  }

  /** One transaction: the unit's liveness check and the attempt row with its data. */
  @Override
  public AttemptState state() {
    return store.tx(
        (h, now) -> {
          unit.row(h, false);
          return h.createQuery(
                  "SELECT a.status, COALESCE(a.data, u.data), a.start_us, a.end_us,"
                      + " a.expiration_us FROM attempt a JOIN work_unit u ON u.id = a.unit_id"
                      + " WHERE a.id = :id AND u.id = :unit")
              .bind("id", id)
              .bind("unit", unit.id())
              .map((rs, ctx) -> {
                Row r = new Row(rs.getInt(1), rs.getBytes(2), rs.getLong(3),
                    rs.getObject(4, Long.class), rs.getLong(5));
                return new AttemptState(r.status(now), SqlStore.map(r.data()),
                    SqlStore.instant(r.start()), end(r, now), SqlStore.instant(r.expiration()));
              })
              .findOne()
              .orElseThrow(unit::gone);
        });
  }

  @Override
  public Instant startTime() {
    return read((r, now) -> SqlStore.instant(r.start()));
  }

  @Override
  public Optional<Instant> endTime() {
    return read(SqlAttempt::end);
  }

  private static Optional<Instant> end(Row r, long now) {
    if (r.code() == Codes.ATTEMPT_PENDING) {
      // Expired by time but not yet swept: it ended when its lease did.
      return r.expiration() < now
          ? Optional.of(SqlStore.instant(r.expiration()))
          : Optional.<Instant>empty();
    }
    return Optional.ofNullable(SqlStore.instantOrNull(r.end()));
  }

  @Override
  public Instant expirationTime() {
    return read((r, now) -> SqlStore.instant(r.expiration()));
  }

  // ---------------------------------------------------------------------------------------
  // Transitions
  // ---------------------------------------------------------------------------------------

  @Override
  public void renew(Duration extension, Map<String, ?> data) {
    if (extension == null) {
      throw new InvalidRequestException("renew needs an extension");
    }
    byte[] cbor = data == null ? null : SqlStore.cbor(DataValues.copyOf(data));
    boolean lost =
        store.tx(
            (h, now) -> {
              UnitRow u = unit.row(h, true);
              Row r = row(h, true);
              AttemptStatus status = r.status(now);
              if (status != AttemptStatus.PENDING && status != AttemptStatus.EXPIRED) {
                throw new NotPendingException("attempt is " + status + ", cannot renew it");
              }
              if (!isActive(u)) {
                long end = r.end() != null ? r.end() : Math.min(now, r.expiration());
                end(h, Codes.ATTEMPT_EXPIRED, cbor, end);
                tellEnd(h, r, Codes.ATTEMPT_EXPIRED, now);
                return true; // committed, then reported
              }
              if (r.ranOut(now)) {
                tell(h, UnitEvents.Transition.EXPIRED); // its expiry, before it is pending again
              }
              var update =
                  h.createUpdate(
                          "UPDATE attempt SET status = 1, end_us = NULL, expiration_us = :exp"
                              + (cbor != null ? ", data = :data" : "")
                              + " WHERE id = :id")
                      .bind("id", id)
                      .bind("exp", now + SqlStore.micros(extension));
              if (cbor != null) {
                update.bind("data", cbor);
              }
              update.execute();
              setUnitStatus(h, Codes.UNIT_PENDING, now);
              return false;
            });
    if (lost) {
      throw new LostLeaseException("work unit " + unit.key() + " was given to another worker");
    }
  }

  @Override
  public void expire(Map<String, ?> data) {
    byte[] cbor = data == null ? null : SqlStore.cbor(DataValues.copyOf(data));
    store.txRun(
        (h, now) -> {
          UnitRow u = unit.row(h, true);
          Row r = row(h, true);
          AttemptStatus status = r.status(now);
          if (status == AttemptStatus.EXPIRED) {
            return;
          }
          if (status != AttemptStatus.PENDING) {
            throw new NotPendingException("attempt is " + status + ", cannot expire it");
          }
          end(h, Codes.ATTEMPT_EXPIRED, cbor, now);
          tellEnd(h, r, Codes.ATTEMPT_EXPIRED, now);
          if (isActive(u)) {
            setUnitStatus(h, Codes.UNIT_AVAILABLE, now);
          }
        });
  }

  @Override
  public void finish(Map<String, ?> data) {
    Map<String, Object> copy = data == null ? null : DataValues.copyOf(data);
    store.txRun(
        (h, now) -> {
          UnitRow u = unit.row(h, true);
          Row r = row(h, true);
          AttemptStatus status = r.status(now);
          // A late success after a failure wins (a child finishing after its parent gave up).
          if (!completable(status, u) && status != AttemptStatus.FAILED) {
            throw new NotPendingException("attempt is " + status + ", cannot finish it");
          }
          end(h, Codes.ATTEMPT_FINISHED, copy == null ? null : SqlStore.cbor(copy), now);
          tellEnd(h, r, Codes.ATTEMPT_FINISHED, now);
          if (isActive(u)) {
            setUnitStatus(h, Codes.UNIT_FINISHED, now);
            Map<String, Object> effective =
                copy != null ? copy : r.data() != null ? SqlStore.map(r.data()) : u.dataMap();
            chain(h, u, effective, now);
          }
        });
  }

  @Override
  public void fail(Map<String, ?> data) {
    complete(AttemptStatus.FAILED, data, null);
  }

  @Override
  public void retry(Map<String, ?> data, Duration delay) {
    if (delay != null && delay.isNegative()) {
      throw new InvalidRequestException("retry delay must not be negative: " + delay);
    }
    complete(AttemptStatus.RETRYABLE, data, delay);
  }

  private void complete(AttemptStatus target, Map<String, ?> data, Duration delay) {
    byte[] cbor = data == null ? null : SqlStore.cbor(DataValues.copyOf(data));
    store.txRun(
        (h, now) -> {
          UnitRow u = unit.row(h, true);
          Row r = row(h, true);
          AttemptStatus status = r.status(now);
          if (!completable(status, u)) {
            throw new NotPendingException(
                "attempt is " + status + ", cannot " + (target == AttemptStatus.FAILED ? "fail" : "retry") + " it");
          }
          end(h, Codes.attemptCode(target), cbor, now);
          tellEnd(h, r, Codes.attemptCode(target), now);
          if (isActive(u)) {
            setUnitStatus(h, Codes.unitCodeFor(target), now);
            if (target == AttemptStatus.RETRYABLE) {
              Long notBefore =
                  delay == null || delay.isZero()
                      ? null
                      : now + SqlStore.micros(delay);
              h.createUpdate("UPDATE work_unit SET not_before_us = :nb WHERE id = :id")
                  .bind("id", unit.id())
                  .bindByType("nb", notBefore, Long.class)
                  .execute();
            }
          }
        });
  }

  private boolean isActive(UnitRow u) {
    return u.activeAttemptId() != null && u.activeAttemptId() == id;
  }

  private boolean completable(AttemptStatus status, UnitRow u) {
    return status == AttemptStatus.PENDING || (status == AttemptStatus.EXPIRED && isActive(u));
  }

  /**
   * Tells the unit events that this attempt, read as {@code r} in this transaction, now ends with
   * {@code code}. A lease that ran out without a sweep recording it is told as expired first, as
   * the sweep (and the in-memory backend) would have; an attempt that had expired already is not
   * told again when it is marked expired once more.
   */
  private void tellEnd(Handle h, Row r, int code, long now) {
    if (code == Codes.ATTEMPT_EXPIRED) {
      if (r.code() == Codes.ATTEMPT_PENDING) {
        tell(h, UnitEvents.Transition.EXPIRED);
      }
      return;
    }
    if (r.ranOut(now)) {
      tell(h, UnitEvents.Transition.EXPIRED);
    }
    tell(
        h,
        switch (code) {
          case Codes.ATTEMPT_FINISHED -> UnitEvents.Transition.FINISHED;
          case Codes.ATTEMPT_FAILED -> UnitEvents.Transition.FAILED;
          case Codes.ATTEMPT_RETRYABLE -> UnitEvents.Transition.RETRIED;
          default -> throw new IllegalArgumentException("not a final attempt status: " + code);
        });
  }

  private void tell(Handle h, UnitEvents.Transition transition) {
    store.tell(h, unit.sqlSpec(), transition, 1);
  }

  private void end(Handle h, int code, byte[] cbor, long end) {
    var update =
        h.createUpdate(
                "UPDATE attempt SET status = :status, end_us = :end"
                    + (cbor != null ? ", data = :data" : "")
                    + " WHERE id = :id")
            .bind("id", id)
            .bind("status", code)
            .bind("end", end);
    if (cbor != null) {
      update.bind("data", cbor);
    }
    update.execute();
  }

  /**
   * Sets the unit's status as its active attempt ends at {@code end}; the end time is what
   * retention orders finished and failed units by (it means nothing for other statuses).
   */
  private void setUnitStatus(Handle h, int code, long end) {
    h.createUpdate("UPDATE work_unit SET status = :status, ended_us = :end WHERE id = :id")
        .bind("id", unit.id())
        .bind("status", code)
        .bind("end", end)
        .execute();
  }

  /** Creates the {@code then} spec's units from a finished unit's {@code output}. */
  private void chain(Handle h, UnitRow u, Map<String, Object> data, long now) {
    if (!data.containsKey("output")) {
      return;
    }
    SqlNamespace ns = unit.sqlSpec().sqlNamespace();
    Optional<SqlWorkSpec> next =
        h.createQuery(
                "SELECT n.id, n.name FROM work_spec s JOIN work_spec n"
                    + " ON n.namespace_id = s.namespace_id AND n.name = s.next_work_spec"
                    + " WHERE s.id = :spec AND s.next_work_spec <> ''")
            .bind("spec", u.specId())
            .map((rs, ctx) -> new SqlWorkSpec(ns, rs.getLong(1), rs.getString(2)))
            .findOne();
    if (next.isEmpty()) {
      return; // no then spec, or it does not exist: the outputs are dropped, the finish stands
    }
    List<NewWorkUnit> units =
        WorkUnitOutputs.parse(data.get("output"), u.priority(), SqlStore.instant(now));
    SqlWorkSpec.upsert(h, store, next.get(), units, now);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlAttempt other && other.id == id && other.store == store;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "Attempt[" + unit + " by " + worker.name() + "]";
  }
}
