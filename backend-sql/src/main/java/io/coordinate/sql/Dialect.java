package io.coordinate.sql;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkUnitKey;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.argument.Argument;

/**
 * Everything that differs between the two databases, and nothing else: the binary column type, the
 * upsert of work units, how leases are serialized and claimed, and when a schema is created. All
 * other SQL is shared.
 */
enum Dialect {
  H2("VARBINARY") {
    @Override
    List<NewWorkUnit> insertUnitsIfAbsent(Handle h, long specId, List<NewWorkUnit> units) {
      // No ON CONFLICT outside H2's compatibility modes, and its MERGE runs row by row far slower
      // than two batches: see SqlWorkSpec.upsert.
      return null;
    }
  },

  POSTGRESQL("BYTEA") {
    @Override
    List<NewWorkUnit> insertUnitsIfAbsent(Handle h, long specId, List<NewWorkUnit> units) {
      if (units.size() >= PgUnitCopy.MIN_UNITS && PgUnitCopy.copyNew(h, specId, units)) {
        return List.of();
      }
      // One statement over arrays: the server inserts the whole batch set-based, several times
      // faster than a JDBC batch of single-row INSERTs (each planned and executed on its own).
      // Race-free against concurrent adders of the same key; the keys it skips are re-queued by an
      // UPDATE (ON CONFLICT DO UPDATE cannot tell which rows existed, and their pending attempts
      // must be expired).
      int n = units.size();
      byte[][] keys = new byte[n][];
      byte[][] data = new byte[n][];
      Double[] priorities = new Double[n];
      Long[] notBefore = new Long[n];
      for (int i = 0; i < n; i++) {
        NewWorkUnit u = units.get(i);
        keys[i] = u.key().toByteArray();
        data[i] = SqlStore.cbor(u.data());
        priorities[i] = u.meta().priority();
        notBefore[i] = u.meta().notBefore() == null ? null : SqlStore.micros(u.meta().notBefore());
      }
      Set<WorkUnitKey> inserted =
          h.createQuery(
              """
              INSERT INTO work_unit (spec_id, unit_key, data, priority, not_before_us, status)
              SELECT :spec, u.k, u.d, u.p, u.nb, 1
              FROM unnest(:keys, :data, :priorities, :notBefore) AS u (k, d, p, nb)
              ON CONFLICT (spec_id, unit_key) DO NOTHING
              RETURNING unit_key
              """)
          .bind("spec", specId)
          .bind("keys", array("bytea", keys))
          .bind("data", array("bytea", data))
          .bind("priorities", array("float8", priorities))
          .bind("notBefore", array("int8", notBefore))
          .map((rs, ctx) -> WorkUnitKey.of(rs.getBytes(1)))
          .collect(Collectors.toCollection(HashSet::new));
      return inserted.size() == n
          ? List.of()
          : units.stream().filter(u -> !inserted.contains(u.key())).toList();
    }

    private static Argument array(String elementType, Object[] elements) {
      return (position, statement, ctx) ->
          statement.setArray(
              position, statement.getConnection().createArrayOf(elementType, elements));
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
   * Whether a lease claims its units and creates their attempts in one statement (data-modifying
   * {@code WITH} queries, which H2 lacks). Elsewhere it takes a statement per step and unit.
   */
  boolean leasesInOneStatement() {
    return this == POSTGRESQL;
  }

  /**
   * Whether a query over a join can lock the rows of one table only ({@code FOR UPDATE OF}), so a
   * unit is locked and read with its lease in one statement. H2 has no such clause: it locks the
   * unit first, in a statement of its own.
   */
  boolean locksOneTableOfAJoin() {
    return this == POSTGRESQL;
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
   * The URL the pool connects with, with H2's settings where the URL does not give its own:
   *
   * <ul>
   *   <li>H2 keeps only 8 parsed statements per session by default and a lease or a finish runs
   *       more than that, so every statement was parsed again; a larger cache keeps them all.
   *   <li>H2 writes committed changes to its file up to half a second later by default, so a
   *       process killed meanwhile loses transactions it had acknowledged (a finished unit comes
   *       back, a lease is handed out twice). {@code WRITE_DELAY=0} writes each commit before it
   *       returns.
   *   <li>H2 closes its databases from a shutdown hook of its own by default, racing the
   *       daemon's graceful stop: requests still being answered failed with "database is already
   *       closed". {@code DB_CLOSE_ON_EXIT=FALSE} leaves closing to the store's own close.
   * </ul>
   */
  String connectionUrl(String jdbcUrl) {
    if (this != H2) {
      return jdbcUrl;
    }
    String upper = jdbcUrl.toUpperCase(Locale.ROOT);
    String url = jdbcUrl;
    if (!upper.contains("QUERY_CACHE_SIZE=")) {
      url += ";QUERY_CACHE_SIZE=" + H2_QUERY_CACHE_SIZE;
    }
    if (!upper.contains("WRITE_DELAY=") && !upper.startsWith("JDBC:H2:MEM:")) {
      url += ";WRITE_DELAY=0";
    }
    if (!upper.contains("DB_CLOSE_ON_EXIT=")) {
      url += ";DB_CLOSE_ON_EXIT=FALSE";
    }
    return url;
  }

  /** Parsed statements H2 keeps per session: more than the backend's distinct statements. */
  static final int H2_QUERY_CACHE_SIZE = 256;

  /** The column type for byte strings (keys, CBOR data). */
  String binaryType() {
    return binaryType;
  }

  /**
   * Inserts those units (of distinct keys) whose key the spec does not hold yet and returns the
   * others. {@code null} where the database has no insert-if-absent: then the units are updated
   * first and the keys not found are inserted.
   */
  abstract List<NewWorkUnit> insertUnitsIfAbsent(Handle h, long specId, List<NewWorkUnit> units);

  /**
   * Whether the spec still exists, holding until the transaction ends a lock that makes destroying
   * the spec (see {@link #queueToDestroy}) wait for this add, so that an add either commits before
   * the destroy deletes the spec's units or finds the spec gone. On H2 the spec's row locked for
   * update. On PostgreSQL a shared advisory lock, so adds do not block each other or leases: the
   * weakest row lock (FOR KEY SHARE) would not do, because it never queues behind a waiting FOR
   * UPDATE and a steady stream of adds kept a destroy waiting forever; advisory locks queue fairly.
   * The check reads after the lock is granted, so it sees a destroy that committed meanwhile.
   */
  boolean lockSpecForAdding(Handle h, long specId) {
    if (this == POSTGRESQL) {
      h.createQuery("SELECT 1 FROM pg_advisory_xact_lock_shared(:space, :spec)")
          .bind("space", SPEC_LOCK_SPACE)
          .bind("spec", (int) specId)
          .mapTo(Integer.class)
          .one();
    }
    return h.createQuery(
            "SELECT 1 FROM work_spec WHERE id = :id" + (this == H2 ? " FOR UPDATE" : ""))
        .bind("id", specId)
        .mapTo(Integer.class)
        .findOne()
        .isPresent();
  }

  /**
   * Before destroying specs (whose rows the caller then locks for update): on PostgreSQL waits for
   * the adds in flight and keeps the adds that come later queued behind the destroy. Ids in
   * ascending order, so two destroys cannot deadlock on them.
   */
  void queueToDestroy(Handle h, List<Long> specIds) {
    if (this == POSTGRESQL) {
      for (long specId : specIds.stream().sorted().toList()) {
        h.createQuery("SELECT 1 FROM pg_advisory_xact_lock(:space, :spec)")
            .bind("space", SPEC_LOCK_SPACE)
            .bind("spec", (int) specId)
            .mapTo(Integer.class)
            .one();
      }
    }
  }

  /**
   * The first key of the spec locks above ('COOR'), keeping them apart from other users of the
   * database's advisory locks. Spec ids are folded to 32 bits: two specs that share a lock only
   * wait for each other more often.
   */
  private static final int SPEC_LOCK_SPACE = 0x434F4F52;

  /**
   * The lock a lease of a spec with a whole-spec rule takes on the spec's row: one such lease at a
   * time. On PostgreSQL it lets adds to the spec (see {@link #lockSpecForAdding}) go on meanwhile.
   */
  String specLockForLeasing() {
    return this == H2 ? "FOR UPDATE" : "FOR NO KEY UPDATE";
  }

  /**
   * The lock a call on a namespace's advisory locks ({@link SqlLocks}) takes on the namespace's
   * row: the lock calls of one namespace run one at a time across every process on the database,
   * and destroying the namespace waits for them. On PostgreSQL it lets work specs and workers be
   * created in the namespace meanwhile (their foreign keys take a key-share lock on the row).
   */
  String lockTreeLock() {
    return this == H2 ? "FOR UPDATE" : "FOR NO KEY UPDATE";
  }

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
