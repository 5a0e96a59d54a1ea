package io.coordinate.sql;

import java.util.Locale;

/**
 * Everything that differs between the two databases, and nothing else: the binary column type, the
 * upsert of work units, how leases are serialized and claimed, and when a schema is created. All
 * other SQL is shared.
 */
enum Dialect {
  H2("VARBINARY") {
    @Override
    String insertUnitIfAbsent() {
      // No ON CONFLICT outside H2's compatibility modes, and its MERGE runs row by row far slower
      // than two batches: see SqlWorkSpec.upsert.
      return null;
    }
  },

  POSTGRESQL("BYTEA") {
    @Override
    String insertUnitIfAbsent() {
      // Race-free against concurrent adders of the same key, and as cheap as a plain INSERT; the
      // keys it skips are re-queued by an UPDATE (ON CONFLICT DO UPDATE cannot tell which rows
      // existed, and their pending attempts must be expired).
      return """
          INSERT INTO work_unit (spec_id, unit_key, data, priority, not_before_us, status)
          VALUES (:spec, :key, :data, :priority, :notBefore, 1)
          ON CONFLICT (spec_id, unit_key) DO NOTHING
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

  /**
   * Whether a configured schema must exist before the pool opens connections. H2 refuses a
   * connection whose schema is missing, so the store creates it first; PostgreSQL accepts a search
   * path naming a schema that does not exist yet, and Flyway creates it (an operator may also have
   * created it for a role that cannot create schemas).
   */
  boolean createsSchemaBeforeConnecting() {
    return this == H2;
  }

  /**
   * The URL the pool connects with. H2 keeps only 8 parsed statements per session by default and
   * a lease or a finish runs more than that, so every statement was parsed again; a larger cache
   * keeps them all (an explicit setting in the URL wins).
   */
  String connectionUrl(String jdbcUrl) {
    if (this == H2 && !jdbcUrl.toUpperCase(Locale.ROOT).contains("QUERY_CACHE_SIZE=")) {
      return jdbcUrl + ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE_SIZE;
    }
    return jdbcUrl;
  }

  /** Parsed statements H2 keeps per session: more than the backend's distinct statements. */
  static final int H2_QUERY_CACHE_SIZE = 256;

  /** The column type for byte strings (keys, CBOR data). */
  String binaryType() {
    return binaryType;
  }

  /**
   * Inserts a unit unless its key exists, counting 1 for an inserted row and 0 for a skipped one.
   * Binds {@code spec, key, data, priority, notBefore}. {@code null} where the dialect has no such
   * statement: then the units are updated first and the keys not found are inserted.
   */
  abstract String insertUnitIfAbsent();

  static Dialect of(String jdbcUrl) {
    String url = jdbcUrl.toLowerCase(Locale.ROOT);
    if (url.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (url.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException(
        "unsupported database URL (H2 or PostgreSQL only): "
            + jdbcUrl.replaceAll("//[^@/]*@", "//"));
  }
}
