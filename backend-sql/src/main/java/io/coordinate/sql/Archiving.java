package io.coordinate.sql;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Retention;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * {@code WorkSpec.archive} on SQL: deletes finished and failed units beyond the spec's retention,
 * those that ended first going first.
 *
 * <p>Each batch of at most {@link #BATCH} units is a short transaction of its own that locks only
 * the units it deletes (and their attempts, by the cascade): never the spec's row, which leases of
 * a limited spec lock, nor available units, which leases claim. So a sweep of a large backlog does
 * not hold up requests for work. The units are found through the {@code work_unit_ended} index
 * ({@code spec_id, status, ended_us, id}), which reads them oldest first and stops after the batch;
 * the delete checks the condition again, so a unit queued again or finished anew meanwhile stays.
 */
final class Archiving {
  private Archiving() {}

  /** Units deleted per transaction at most. */
  static final int BATCH = 1_000;

  static int archive(SqlStore store, SqlWorkSpec spec, int maxUnits) {
    if (maxUnits < 0) {
      throw new InvalidRequestException(
          "the most units to archive must not be negative: " + maxUnits);
    }
    if (maxUnits == 0) {
      store.txRun((h, now) -> spec.requireLive(h));
      return 0;
    }
    int deleted = 0;
    while (deleted < maxUnits) {
      int want = Math.min(BATCH, maxUnits - deleted);
      int n = store.tx((h, now) -> batch(h, spec, want, now));
      deleted += n;
      if (n < want) {
        break;
      }
    }
    return deleted;
  }

  private static int batch(Handle h, SqlWorkSpec spec, int want, long now) {
    Retention r = spec.row(h, false).meta().retention();
    int n = deleteEnded(h, spec.id(), Codes.UNIT_FINISHED, r.finishedFor(), r.finishedCount(), want, now);
    if (n < want) {
      n += deleteEnded(h, spec.id(), Codes.UNIT_FAILED, r.failedFor(), r.failedCount(), want - n, now);
    }
    return n;
  }

  /**
   * Deletes up to {@code want} units of one ended status that come before the policy's bound in
   * (end time, id) order: units ended before now − {@code keepFor}, and those older than the
   * {@code keepCount}-th most recent. Either bound alone, or the later of the two.
   */
  private static int deleteEnded(
      Handle h, long specId, int status, Duration keepFor, int keepCount, int want, long now) {
    if (keepFor.isZero() && keepCount == 0) {
      return 0;
    }
    long endBound = Long.MIN_VALUE;
    long idBound = Long.MIN_VALUE;
    if (!keepFor.isZero()) {
      endBound = now - SqlStore.micros(keepFor);
    }
    if (keepCount > 0) {
      // The status is a literal, here and below, so PostgreSQL matches the partial index.
      Optional<long[]> oldestKept =
          h.createQuery(
                  "SELECT ended_us, id FROM work_unit WHERE spec_id = :spec AND status = " + status
                      + " ORDER BY spec_id DESC, status DESC, ended_us DESC, id DESC"
                      + " OFFSET " + (keepCount - 1) + " ROWS FETCH FIRST 1 ROWS ONLY")
              .bind("spec", specId)
              .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
              .findOne();
      if (oldestKept.isEmpty()) {
        if (endBound == Long.MIN_VALUE) {
          return 0; // no more than keepCount units, and no age limit
        }
      } else {
        long[] kept = oldestKept.get();
        if (kept[0] > endBound || (kept[0] == endBound && kept[1] > idBound)) {
          endBound = kept[0];
          idBound = kept[1];
        }
      }
    }
    String before =
        " AND ended_us <= :end AND (ended_us < :end OR id < :id)";
    List<Long> ids =
        h.createQuery(
                "SELECT id FROM work_unit WHERE spec_id = :spec AND status = " + status + before
                    + " ORDER BY spec_id, status, ended_us, id FETCH FIRST " + want + " ROWS ONLY")
            .bind("spec", specId)
            .bind("end", endBound)
            .bind("id", idBound)
            .mapTo(Long.class)
            .list();
    if (ids.isEmpty()) {
      return 0;
    }
    return h.createUpdate(
            "DELETE FROM work_unit WHERE id IN (<ids>) AND status = " + status + before)
        .bindList("ids", ids)
        .bind("end", endBound)
        .bind("id", idBound)
        .execute();
  }
}
