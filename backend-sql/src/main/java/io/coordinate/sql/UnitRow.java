package io.coordinate.sql;

import io.coordinate.api.WorkUnitStatus;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/** A work_unit row with its active attempt's lease, as transitions need it. */
record UnitRow(
    long id,
    long specId,
    byte[] key,
    byte[] data,
    double priority,
    Long notBefore,
    int statusCode,
    Long activeAttemptId,
    int attemptCount,
    Long leaseExpiration) {

  /** The row, locked for update when {@code lock}; empty if the unit is gone. */
  static java.util.Optional<UnitRow> load(Handle h, Dialect dialect, long unitId, boolean lock) {
    boolean lockInQuery = lock && dialect.locksOneTableOfAJoin();
    if (lock && !lockInQuery) {
      // Lock the unit row alone, then read the lease separately.
      h.createQuery("SELECT id FROM work_unit WHERE id = :id FOR UPDATE")
          .bind("id", unitId)
          .mapTo(Long.class)
          .findOne();
    }
    return h.createQuery(
            "SELECT u.id, u.spec_id, u.unit_key, u.data, u.priority, u.not_before_us, u.status,"
                + " u.active_attempt_id, u.attempt_count, a.expiration_us AS lease"
                + " FROM work_unit u LEFT JOIN attempt a"
                + " ON a.id = u.active_attempt_id AND a.status = 1"
                + " WHERE u.id = :id"
                + (lockInQuery ? " FOR UPDATE OF u" : ""))
        .bind("id", unitId)
        .map(
            (rs, ctx) ->
                new UnitRow(
                    rs.getLong("id"),
                    rs.getLong("spec_id"),
                    rs.getBytes("unit_key"),
                    rs.getBytes("data"),
                    rs.getDouble("priority"),
                    rs.getObject("not_before_us", Long.class),
                    rs.getInt("status"),
                    rs.getObject("active_attempt_id", Long.class),
                    rs.getInt("attempt_count"),
                    rs.getObject("lease", Long.class)))
        .findOne();
  }

  WorkUnitStatus status(long now) {
    return Codes.unitStatus(statusCode, notBefore, leaseExpiration, now);
  }

  Map<String, Object> dataMap() {
    return SqlStore.map(data);
  }
}
