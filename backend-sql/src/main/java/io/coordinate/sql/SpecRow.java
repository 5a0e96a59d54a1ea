package io.coordinate.sql;

import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.scheduling.TokenBucket;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;

/**
 * A work_spec row's identity and meta (without counts), and its rate limit's bucket as stored
 * ({@code null}: full, or no limit).
 */
record SpecRow(long id, long namespaceId, String name, WorkSpecMeta meta, TokenBucket bucket) {

  /** The columns {@link #map} reads, for SELECT lists. */
  static final String COLUMNS =
      "id, namespace_id, name, priority, weight, paused, continuous, can_be_continuous,"
          + " interval_us, next_continuous_us, max_running, max_getwork, max_retries,"
          + " next_work_spec, runtime, min_gb, " + SpecPolicies.COLUMNS;

  static SpecRow map(ResultSet rs) throws SQLException {
    WorkSpecMeta meta =
        new WorkSpecMeta(
            rs.getInt("priority"),
            rs.getInt("weight"),
            rs.getBoolean("paused"),
            rs.getBoolean("continuous"),
            rs.getBoolean("can_be_continuous"),
            Duration.ofNanos(rs.getLong("interval_us") * 1000),
            SqlStore.instant(rs.getLong("next_continuous_us")),
            rs.getInt("max_running"),
            rs.getInt("max_getwork"),
            rs.getInt("max_retries"),
            rs.getString("next_work_spec"),
            rs.getString("runtime"),
            rs.getDouble("min_gb"),
            SpecPolicies.rateLimit(rs),
            SpecPolicies.retention(rs),
            Optional.empty());
    return new SpecRow(
        rs.getLong("id"),
        rs.getLong("namespace_id"),
        rs.getString("name"),
        meta,
        SpecPolicies.bucket(rs));
  }

  static long intervalMicros(WorkSpecMeta meta) {
    return meta.interval().toNanos() / 1000;
  }
}
