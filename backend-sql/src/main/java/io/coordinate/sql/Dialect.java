package io.coordinate.sql;

import java.util.Locale;

/**
 * Everything that differs between the two databases, and nothing else: the binary column type and
 * the upsert of work units. All other SQL is shared.
 */
enum Dialect {
  H2("VARBINARY") {
    @Override
    String upsertUnit() {
      return null; // see SqlWorkSpec.upsert: H2 runs MERGE row by row far slower than two batches
    }
  },

  POSTGRESQL("BYTEA") {
    @Override
    String upsertUnit() {
      // ON CONFLICT, not MERGE: only it is a race-free upsert on PostgreSQL.
      return """
          INSERT INTO work_unit (spec_id, unit_key, data, priority, not_before_us, status)
          VALUES (:spec, :key, :data, :priority, :notBefore, 1)
          ON CONFLICT (spec_id, unit_key) DO UPDATE SET
            data = EXCLUDED.data, priority = EXCLUDED.priority,
            not_before_us = EXCLUDED.not_before_us,
            status = CASE WHEN work_unit.status IN (3, 4) THEN 1 ELSE work_unit.status END,
            active_attempt_id =
              CASE WHEN work_unit.status IN (3, 4) THEN NULL ELSE work_unit.active_attempt_id END
          """;
    }
  };

  private final String binaryType;

  Dialect(String binaryType) {
    this.binaryType = binaryType;
  }

  /**
   * Whether leases must be serialized inside this process. H2 applies a row limit before it skips
   * locked rows, so {@code SKIP LOCKED} with {@code FETCH FIRST} can come back empty while units
   * remain; but an H2 database is only ever open in one process, so a lock in this JVM is exact
   * there. PostgreSQL needs neither: concurrent leases skip each other's rows.
   */
  boolean serializesLeasesInProcess() {
    return this == H2;
  }

  /**
   * The locking clause of the query that picks available units. H2 gets none: with a lock it sorts
   * every available unit instead of reading the index in order, and its leases are serialized
   * anyway; the claiming UPDATE checks the unit is still available.
   */
  String claimLock() {
    return this == H2 ? "" : "FOR UPDATE SKIP LOCKED";
  }

  /** The column type for byte strings (keys, CBOR data). */
  String binaryType() {
    return binaryType;
  }

  /**
   * Adds a unit or replaces an existing one's data and meta; a finished or failed unit is queued
   * again. Binds {@code spec, key, data, priority, notBefore}. {@code null} where the dialect has
   * no fast single-statement upsert: then an UPDATE batch runs, and an INSERT batch for the keys
   * it did not find.
   */
  abstract String upsertUnit();

  static Dialect of(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("unsupported database URL (H2 or PostgreSQL only): " + jdbcUrl);
  }
}
