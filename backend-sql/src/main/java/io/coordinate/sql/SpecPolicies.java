package io.coordinate.sql;

import io.coordinate.api.RateLimit;
import io.coordinate.api.Retention;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.scheduling.TokenBucket;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import org.jdbi.v3.core.Handle;

/**
 * The work_spec columns of a spec's {@link RateLimit} and {@link Retention}, and its rate limit's
 * bucket ({@code rate_tokens} at {@code rate_as_of_us}; both null for a full bucket). The bucket
 * is read and written only while the spec's row is locked: by a lease (see {@link Leasing}) or by
 * a change of the limit, so it is exact across every daemon on the database.
 */
final class SpecPolicies {
  private SpecPolicies() {}

  /** The columns the readers below need, for SELECT lists. */
  static final String COLUMNS =
      "rate_limit, rate_burst, rate_tokens, rate_as_of_us, retain_finished_us,"
          + " retain_finished_count, retain_failed_us, retain_failed_count";

  static RateLimit rateLimit(ResultSet rs) throws SQLException {
    return new RateLimit(rs.getDouble("rate_limit"), rs.getInt("rate_burst"));
  }

  static Retention retention(ResultSet rs) throws SQLException {
    return new Retention(
        Duration.ofNanos(rs.getLong("retain_finished_us") * 1000),
        rs.getInt("retain_finished_count"),
        Duration.ofNanos(rs.getLong("retain_failed_us") * 1000),
        rs.getInt("retain_failed_count"));
  }

  /** The stored bucket; null when full. */
  static TokenBucket bucket(ResultSet rs) throws SQLException {
    long asOf = rs.getLong("rate_as_of_us");
    if (rs.wasNull()) {
      return null;
    }
    return new TokenBucket(rs.getDouble("rate_tokens"), SqlStore.instant(asOf));
  }

  /**
   * Writes {@code meta}'s rate limit and retention to the spec's row, carrying the bucket over to
   * the new limit ({@link TokenBucket#afterChange}). The caller holds the row locked (or has just
   * created it).
   */
  static void write(Handle h, long specId, WorkSpecMeta meta, long now) {
    record Stored(RateLimit limit, TokenBucket bucket) {}
    Stored before =
        h.createQuery(
                "SELECT rate_limit, rate_burst, rate_tokens, rate_as_of_us FROM work_spec"
                    + " WHERE id = :id")
            .bind("id", specId)
            .map((rs, ctx) -> new Stored(rateLimit(rs), bucket(rs)))
            .one();
    TokenBucket bucket =
        TokenBucket.afterChange(
            before.limit(), meta.rateLimit(), before.bucket(), SqlStore.instant(now));
    Retention r = meta.retention();
    h.createUpdate(
            "UPDATE work_spec SET rate_limit = :rate, rate_burst = :burst,"
                + " rate_tokens = :tokens, rate_as_of_us = :asOf,"
                + " retain_finished_us = :finishedFor, retain_finished_count = :finishedCount,"
                + " retain_failed_us = :failedFor, retain_failed_count = :failedCount"
                + " WHERE id = :id")
        .bind("id", specId)
        .bind("rate", meta.rateLimit().perSecond())
        .bind("burst", meta.rateLimit().burst())
        .bindByType("tokens", bucket == null ? null : bucket.tokens(), Double.class)
        .bindByType(
            "asOf", bucket == null ? null : SqlStore.micros(bucket.asOf()), Long.class)
        .bind("finishedFor", SqlStore.micros(r.finishedFor()))
        .bind("finishedCount", r.finishedCount())
        .bind("failedFor", SqlStore.micros(r.failedFor()))
        .bind("failedCount", r.failedCount())
        .execute();
  }

  /** Stores the bucket after a lease; the lease holds the spec's row locked. */
  static void saveBucket(Handle h, long specId, TokenBucket bucket) {
    h.createUpdate("UPDATE work_spec SET rate_tokens = :tokens, rate_as_of_us = :asOf WHERE id = :id")
        .bind("id", specId)
        .bind("tokens", bucket.tokens())
        .bind("asOf", SqlStore.micros(bucket.asOf()))
        .execute();
  }
}
