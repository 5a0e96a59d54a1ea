package io.coordinate.sql;

import io.coordinate.api.Attempt;
import io.coordinate.api.GoneException;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class SqlWorkUnit implements WorkUnit {
  private final SqlWorkSpec spec;
  private final SqlStore store;
  private final long id;
  private final WorkUnitKey key;

  SqlWorkUnit(SqlWorkSpec spec, long id, WorkUnitKey key) {
    this.spec = spec;
    this.store = spec.sqlNamespace().store();
    this.id = id;
    this.key = key;
  }

  long id() {
    return id;
  }

  SqlWorkSpec sqlSpec() {
    return spec;
  }

  @Override
  public WorkSpec workSpec() {
    return spec;
  }

  @Override
  public WorkUnitKey key() {
    return key;
  }

  UnitRow row(Handle h, boolean lock) {
    return UnitRow.load(h, store.dialect, id, lock).orElseThrow(this::gone);
  }

  GoneException gone() {
    return new GoneException("work unit " + key + " of work spec " + spec.name());
  }

  @Override
  public Map<String, Object> data() {
    return store.tx(
        (h, now) -> {
          UnitRow u = row(h, false);
          if (u.activeAttemptId() != null) {
            byte[] recorded =
                h.createQuery("SELECT data FROM attempt WHERE id = :id")
                    .bind("id", u.activeAttemptId())
                    .mapTo(byte[].class)
                    .findOne()
                    .orElse(null);
            if (recorded != null) {
              return SqlStore.map(recorded);
            }
          }
          return u.dataMap();
        });
  }

  @Override
  public WorkUnitStatus status() {
    return store.tx((h, now) -> row(h, false).status(now));
  }

  @Override
  public WorkUnitMeta meta() {
    return store.tx(
        (h, now) -> {
          UnitRow u = row(h, false);
          return new WorkUnitMeta(u.priority(), SqlStore.instantOrNull(u.notBefore()));
        });
  }

  @Override
  public void setMeta(WorkUnitMeta meta) {
    if (meta == null) {
      throw new InvalidRequestException("meta must not be null");
    }
    store.txRun(
        (h, now) -> {
          int n =
              h.createUpdate(
                      "UPDATE work_unit SET priority = :priority, not_before_us = :notBefore"
                          + " WHERE id = :id")
                  .bind("id", id)
                  .bind("priority", meta.priority())
                  .bind(
                      "notBefore",
                      meta.notBefore() == null ? null : SqlStore.micros(meta.notBefore()))
                  .execute();
          if (n == 0) {
            throw gone();
          }
        });
  }

  @Override
  public void setPriority(double priority) {
    if (Double.isNaN(priority)) {
      throw new InvalidRequestException("priority must be a number, not NaN");
    }
    store.txRun(
        (h, now) -> {
          int n =
              h.createUpdate("UPDATE work_unit SET priority = :priority WHERE id = :id")
                  .bind("id", id)
                  .bind("priority", priority)
                  .execute();
          if (n == 0) {
            throw gone();
          }
        });
  }

  @Override
  public Optional<Attempt> activeAttempt() {
    // One statement: the job server asks this of every unit it updates.
    return store.tx(
        (h, now) ->
            h.createQuery(
                    "SELECT a.id, w.id, w.name FROM work_unit u"
                        + " LEFT JOIN attempt a ON a.id = u.active_attempt_id"
                        + " LEFT JOIN worker w ON w.id = a.worker_id WHERE u.id = :id")
                .bind("id", id)
                .map(
                    (rs, ctx) -> {
                      long attemptId = rs.getLong(1);
                      if (rs.wasNull()) {
                        return Optional.<Attempt>empty();
                      }
                      SqlWorker worker =
                          new SqlWorker(spec.sqlNamespace(), rs.getLong(2), rs.getString(3));
                      return Optional.<Attempt>of(new SqlAttempt(this, worker, attemptId));
                    })
                .findOne()
                .orElseThrow(this::gone));
  }

  @Override
  public void clearActiveAttempt() {
    store.txRun(
        (h, now) -> {
          UnitRow u = row(h, true);
          if (u.activeAttemptId() == null) {
            return;
          }
          Leasing.loseLease(h, store, spec, u.activeAttemptId(), now);
          h.createUpdate(
                  "UPDATE work_unit SET active_attempt_id = NULL, status = 1 WHERE id = :id")
              .bind("id", id)
              .execute();
        });
  }

  @Override
  public List<Attempt> attempts() {
    return store.tx(
        (h, now) -> {
          row(h, false);
          return h.createQuery("SELECT id FROM attempt WHERE unit_id = :id ORDER BY id")
              .bind("id", id)
              .mapTo(Long.class)
              .list()
              .stream()
              .<Attempt>map(a -> SqlAttempt.load(h, this, a))
              .toList();
        });
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SqlWorkUnit other && other.id == id && other.store == store;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id);
  }

  @Override
  public String toString() {
    return "WorkUnit[" + spec.name() + "/" + key + "]";
  }
}
