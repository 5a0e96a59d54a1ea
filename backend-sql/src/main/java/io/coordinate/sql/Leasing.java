package io.coordinate.sql;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.data.DataValues;
import io.coordinate.api.scheduling.Scheduler;
import io.coordinate.api.scheduling.TokenBucket;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jdbi.v3.core.Handle;

/**
 * Where a request for work is decided on SQL. One transaction: expire what ran out, read every spec's
 * meta with its pending count and whether it has an available unit, let the {@link Scheduler}
 * choose, then claim the first available units of that spec with {@code FOR UPDATE SKIP LOCKED} so
 * that concurrent requests (from this daemon or others on the same database) take different units
 * without waiting for each other.
 *
 * <p>Specs with {@code max_running} (and continuous specs) are different: their limit is about the
 * whole spec, so such a lease first locks the spec's row and recounts its pending units under that
 * lock. Leases of one such spec therefore run one at a time across all daemons, and the limit holds
 * against the real state, never a stale count; leases of other specs are unaffected.
 *
 * <p>Rate-limited specs are such specs too: under the row lock the lease reads the spec's token
 * bucket, takes at most its whole tokens, and writes it back before the lock is released, so a
 * limit holds exactly across daemons (as far as their clocks agree; see {@link TokenBucket}).
 */
final class Leasing {
  private Leasing() {}

  /**
   * Rounds of choosing (in one transaction, and transactions per request) before giving up when
   * every chosen spec was emptied or filled by other workers.
   */
  static final int MAX_ROUNDS = 16;

  private static final String TOO_MANY_RETRIES = "too many retries";

  private record Claim(long id, byte[] key, byte[] data, int attemptCount) {}

  /**
   * What one lease transaction did: the attempts it made, or {@code again} when the spec it chose
   * turned out full (or out of tokens) once its row was locked. Then the transaction should end,
   * letting go of that lock, and the request be decided again in a new one: choosing another spec
   * while holding the lock would queue every other lease of the full spec behind this one, and
   * two such leases waiting for each other's spec would deadlock.
   */
  record Outcome(List<Attempt> attempts, boolean again) {
    static final Outcome AGAIN = new Outcome(List.of(), true);

    static Outcome of(List<Attempt> attempts) {
      return new Outcome(attempts, false);
    }
  }

  /** One lease transaction; see {@link Outcome}. */
  static Outcome lease(
      Handle h, SqlStore store, SqlNamespace ns, SqlWorker worker, AttemptRequest request, long now) {
    store.sweep(h, now);
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Map<String, SpecRow> specs = new HashMap<>();
      List<Scheduler.Candidate> candidates = new ArrayList<>();
      h.createQuery(
              "SELECT " + SpecRow.COLUMNS + ", " + countsOf("s.id")
                  + " FROM work_spec s WHERE s.namespace_id = :ns")
          .bind("ns", ns.id())
          .bind("now", now)
          .map(
              (rs, ctx) -> {
                SpecRow row = SpecRow.map(rs);
                specs.put(row.name(), row);
                candidates.add(
                    new Scheduler.Candidate(
                        row.name(),
                        row.meta().withCounts(counts(rs)),
                        TokenBucket.allowance(
                            row.meta().rateLimit(), row.bucket(), SqlStore.instant(now))));
                return null;
              })
          .list();
      Optional<String> chosen =
          Scheduler.choose(
              candidates, request, SqlStore.instant(now), ThreadLocalRandom.current());
      if (chosen.isEmpty()) {
        return Outcome.of(List.of());
      }
      SpecRow spec = specs.get(chosen.get());
      WorkSpecMeta meta =
          candidates.stream()
              .filter(c -> c.name().equals(spec.name()))
              .findFirst()
              .orElseThrow()
              .meta();
      boolean rateLimited = !meta.rateLimit().unlimited();
      boolean wholeSpecRule = meta.maxRunning() > 0 || meta.continuous() || rateLimited;
      TokenBucket bucket = null;
      int allowance = Integer.MAX_VALUE;
      long at = now; // when the lease is made: after any wait for the spec's lock
      if (wholeSpecRule) {
        Optional<Locked> locked = lockAndCount(h, store, spec.id(), now);
        if (locked.isEmpty()) {
          continue; // deleted meanwhile: choose again
        }
        at = locked.get().at();
        meta = locked.get().row().meta();
        bucket =
            TokenBucket.current(
                meta.rateLimit(), locked.get().row().bucket(), SqlStore.instant(at));
        allowance = bucket == null ? Integer.MAX_VALUE : bucket.whole();
        if (allowance < 1 || !meta.canDoWork(SqlStore.instant(at))) {
          return Outcome.AGAIN; // filled up or out of tokens through another daemon meanwhile
        }
      }
      long expiration = at + SqlStore.micros(request.lifetime());
      SqlWorkSpec specHandle = new SqlWorkSpec(ns, spec.id(), spec.name());
      List<Attempt> leased = new ArrayList<>();
      int n = Scheduler.batchSize(request, meta, allowance);
      if (store.dialect.leasesInOneStatement() && meta.maxRetries() <= 0) {
        leased.addAll(leaseInOneStatement(h, specHandle, worker, n, at, expiration));
      }
      // The general path: units over max_retries, H2, and whatever the statement left to do.
      while (leased.size() < n) {
        List<Claim> claims = claim(h, store.dialect, spec.id(), n - leased.size(), at);
        if (claims.isEmpty()) {
          if (leased.isEmpty() && wholeSpecRule && meta.canStartContinuous(SqlStore.instant(at))) {
            claims = List.of(continuousUnit(h, store, specHandle, meta, at));
          } else {
            break;
          }
        }
        for (Claim c : claims) {
          if (meta.maxRetries() > 0 && c.attemptCount() + 1 > meta.maxRetries()) {
            if (failForRetries(h, c, worker.id(), at)) {
              store.tell(h, specHandle, UnitEvents.Transition.FAILED, 1);
            }
            continue;
          }
          long attemptId = insertAttempt(h, c.id(), worker.id(), at, expiration);
          if (attemptId < 0) {
            continue;
          }
          SqlWorkUnit unit = new SqlWorkUnit(specHandle, c.id(), WorkUnitKey.of(c.key()));
          leased.add(new SqlAttempt(unit, worker, attemptId));
        }
      }
      if (!leased.isEmpty()) {
        if (bucket != null) {
          SpecPolicies.saveBucket(h, spec.id(), bucket.take(leased.size()));
        }
        store.tell(h, specHandle, UnitEvents.Transition.LEASED, leased.size());
        return Outcome.of(leased);
      }
      if (wholeSpecRule) {
        return Outcome.AGAIN; // emptied by others meanwhile; not while holding its lock
      }
    }
    return Outcome.of(List.of());
  }

  /** A spec's row read under its lock, with exact counts, and the time the lock was granted. */
  private record Locked(SpecRow row, long at) {}

  /**
   * Locks a spec's row and reads it, its meta with exact counts as of when the lock was granted;
   * empty if the spec is gone. Leases of the spec are then timed in the order they held its lock,
   * so that a rate limit's bucket and the attempts' start times agree even when a lease waited.
   */
  private static Optional<Locked> lockAndCount(Handle h, SqlStore store, long specId, long now) {
    Optional<SpecRow> row =
        h.createQuery(
                "SELECT " + SpecRow.COLUMNS + " FROM work_spec WHERE id = :id "
                    + store.dialect.specLockForLeasing())
            .bind("id", specId)
            .map((rs, ctx) -> SpecRow.map(rs))
            .findOne();
    if (row.isEmpty()) {
      return Optional.empty();
    }
    long at = Math.max(now, store.clockMicros());
    // A statement of its own, after the lock was granted: it sees every lease committed before.
    WorkSpecMeta.Counts counts =
        h.createQuery("SELECT " + countsOf(":spec"))
            .bind("spec", specId)
            .bind("now", at)
            .map((rs, ctx) -> counts(rs))
            .one();
    SpecRow r = row.get();
    return Optional.of(
        new Locked(
            new SpecRow(r.id(), r.namespaceId(), r.name(), r.meta().withCounts(counts), r.bucket()),
            at));
  }

  /**
   * The select-list items {@code pending} (the spec's pending units) and {@code has_available} (1
   * if a unit can be leased at {@code :now}, else 0) of the spec whose id is {@code specId}, an SQL
   * expression. Read by {@link #counts}.
   */
  private static String countsOf(String specId) {
    return "(SELECT COUNT(*) FROM work_unit u WHERE u.spec_id = " + specId + " AND u.status = 2)"
        // Not EXISTS: PostgreSQL plans that as a sequential scan once a big spec shares the
        // table, passing over its units for every other spec, and so does a bare FETCH FIRST
        // once finished units fill the front of the table. A scalar subquery in the index's
        // order stays on the index.
        + " AS pending, CASE WHEN (SELECT 1 FROM work_unit u"
        + " WHERE u.spec_id = " + specId + " AND u.status = 1"
        + " AND (u.not_before_us IS NULL OR u.not_before_us <= :now)"
        + " ORDER BY u.spec_id, u.status, u.priority DESC, u.unit_key"
        + " FETCH FIRST 1 ROWS ONLY) IS NOT NULL"
        + " THEN 1 ELSE 0 END AS has_available";
  }

  private static WorkSpecMeta.Counts counts(ResultSet rs) throws SQLException {
    return new WorkSpecMeta.Counts(rs.getInt("has_available"), rs.getLong("pending"));
  }

  /** Locks up to {@code n} available units in lease order, skipping those others hold. */
  private static List<Claim> claim(Handle h, Dialect dialect, long specId, int n, long now) {
    return h.createQuery(
            "SELECT id, unit_key, data, attempt_count FROM work_unit"
                + " WHERE spec_id = :spec AND status = 1"
                + " AND (not_before_us IS NULL OR not_before_us <= :now)"
                // The leading equality columns let H2 read the lease index in order, too.
                + " ORDER BY spec_id, status, priority DESC, unit_key FETCH FIRST " + n
                + " ROWS ONLY " + dialect.claimLock())
        .bind("spec", specId)
        .bind("now", now)
        .map((rs, ctx) -> new Claim(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getInt(4)))
        .list();
  }

  /**
   * Claims up to {@code n} available units and gives each a pending attempt in one statement, one
   * round trip whatever the batch size. Returns the attempts in lease order.
   */
  private static List<Attempt> leaseInOneStatement(
      Handle h, SqlWorkSpec spec, SqlWorker worker, int n, long now, long expiration) {
    record Leased(double priority, WorkUnitKey key, Attempt attempt) {}
    return h.createQuery(
            "WITH claimed AS (SELECT id FROM work_unit"
                + " WHERE spec_id = :spec AND status = 1"
                + " AND (not_before_us IS NULL OR not_before_us <= :now)"
                + " ORDER BY spec_id, status, priority DESC, unit_key FETCH FIRST " + n
                + " ROWS ONLY FOR UPDATE SKIP LOCKED),"
                + " attempts AS (INSERT INTO attempt (unit_id, worker_id, status, start_us,"
                + " expiration_us) SELECT id, :worker, 1, :now, :exp FROM claimed"
                + " RETURNING id, unit_id)"
                + " UPDATE work_unit u SET status = 2, active_attempt_id = a.id,"
                + " attempt_count = u.attempt_count + 1 FROM attempts a WHERE u.id = a.unit_id"
                + " RETURNING u.id, u.unit_key, u.priority, a.id")
        .bind("spec", spec.id())
        .bind("now", now)
        .bind("worker", worker.id())
        .bind("exp", expiration)
        .map(
            (rs, ctx) -> {
              WorkUnitKey key = WorkUnitKey.of(rs.getBytes(2));
              SqlWorkUnit unit = new SqlWorkUnit(spec, rs.getLong(1), key);
              return new Leased(rs.getDouble(3), key, new SqlAttempt(unit, worker, rs.getLong(4)));
            })
        .stream()
        .sorted(
            Comparator.comparingDouble(Leased::priority)
                .reversed()
                .thenComparing(Leased::key))
        .map(Leased::attempt)
        .toList();
  }

  /** Creates (or reuses) the unit named for now and moves the spec's next-continuous time. */
  private static Claim continuousUnit(
      Handle h, SqlStore store, SqlWorkSpec spec, WorkSpecMeta meta, long now) {
    WorkUnitKey key = WorkUnitKey.of(Scheduler.continuousUnitName(SqlStore.instant(now)));
    SqlWorkSpec.upsert(h, store, spec, List.of(NewWorkUnit.of(key, Map.of())), now);
    h.createUpdate("UPDATE work_spec SET next_continuous_us = :next WHERE id = :id")
        .bind("id", spec.id())
        .bind("next", now + SqlStore.micros(meta.interval()))
        .execute();
    return h.createQuery(
            "SELECT id, unit_key, data, attempt_count FROM work_unit"
                + " WHERE spec_id = :spec AND unit_key = :key FOR UPDATE")
        .bind("spec", spec.id())
        .bind("key", key.toByteArray())
        .map((rs, ctx) -> new Claim(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getInt(4)))
        .one();
  }

  /**
   * A pending attempt at a claimed unit, which becomes its active attempt; -1 if the unit is no
   * longer available (H2 claims without row locks, so a concurrent delete or forced attempt can get
   * there first; the conditional update notices and the attempt is withdrawn).
   */
  private static long insertAttempt(Handle h, long unitId, long workerId, long now, long expiration) {
    long attemptId = insertAttemptRow(h, unitId, workerId, now, expiration);
    int claimed =
        h.createUpdate(
                "UPDATE work_unit SET status = 2, active_attempt_id = :attempt,"
                    + " attempt_count = attempt_count + 1 WHERE id = :id AND status = 1")
            .bind("id", unitId)
            .bind("attempt", attemptId)
            .execute();
    if (claimed == 0) {
      h.createUpdate("DELETE FROM attempt WHERE id = :id").bind("id", attemptId).execute();
      return -1;
    }
    return attemptId;
  }

  private static long insertAttemptRow(Handle h, long unitId, long workerId, long now, long expiration) {
    return h.createUpdate(
            "INSERT INTO attempt (unit_id, worker_id, status, start_us, expiration_us)"
                + " VALUES (:unit, :worker, 1, :now, :exp)")
        .bind("unit", unitId)
        .bind("worker", workerId)
        .bind("now", now)
        .bind("exp", expiration)
        .executeAndReturnGeneratedKeys("id")
        .mapTo(Long.class)
        .one();
  }

  /**
   * Records the attempt a unit over its max_retries gets: failed at once, never handed out. False
   * if the unit was no longer available (H2 claims without row locks) and nothing was recorded.
   */
  private static boolean failForRetries(Handle h, Claim c, long workerId, long now) {
    Map<String, Object> data = new LinkedHashMap<>(SqlStore.map(c.data()));
    data.put("traceback", TOO_MANY_RETRIES);
    long attemptId =
        h.createUpdate(
                "INSERT INTO attempt (unit_id, worker_id, status, data, start_us, end_us,"
                    + " expiration_us) VALUES (:unit, :worker, 4, :data, :now, :now, :now)")
            .bind("unit", c.id())
            .bind("worker", workerId)
            .bind("data", SqlStore.cbor(DataValues.copyOf(data)))
            .bind("now", now)
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    int claimed =
        h.createUpdate(
                "UPDATE work_unit SET status = 4, ended_us = :now, active_attempt_id = :attempt,"
                    + " attempt_count = attempt_count + 1 WHERE id = :id AND status = 1")
            .bind("id", c.id())
            .bind("now", now)
            .bind("attempt", attemptId)
            .execute();
    if (claimed == 0) {
      h.createUpdate("DELETE FROM attempt WHERE id = :id").bind("id", attemptId).execute();
    }
    return claimed > 0;
  }

  /**
   * Ends attempt {@code attemptId} as expired now if it is still pending (its unit is being taken
   * from it), and counts that as an expiry.
   */
  static void loseLease(Handle h, SqlStore store, SqlWorkSpec spec, long attemptId, long now) {
    int lost =
        h.createUpdate("UPDATE attempt SET status = 2, end_us = :now WHERE id = :id AND status = 1")
            .bind("id", attemptId)
            .bind("now", now)
            .execute();
    store.tell(h, spec, UnitEvents.Transition.EXPIRED, lost);
  }

  /**
   * A pending attempt at a unit whatever its state ({@code Worker.makeAttempt}); a pending
   * predecessor loses its lease. The unit row must be locked.
   */
  static long newAttempt(
      Handle h, SqlStore store, SqlWorkSpec spec, UnitRow unit, long workerId, long now,
      long expiration) {
    if (unit.activeAttemptId() != null) {
      loseLease(h, store, spec, unit.activeAttemptId(), now);
    }
    store.tell(h, spec, UnitEvents.Transition.LEASED, 1);
    long attemptId = insertAttemptRow(h, unit.id(), workerId, now, expiration);
    h.createUpdate(
            "UPDATE work_unit SET status = 2, active_attempt_id = :attempt,"
                + " attempt_count = attempt_count + 1 WHERE id = :id")
        .bind("id", unit.id())
        .bind("attempt", attemptId)
        .execute();
    return attemptId;
  }
}
