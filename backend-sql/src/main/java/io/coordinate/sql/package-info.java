/**
 * The SQL backend: {@link io.coordinate.sql.SqlCoordinate} over JDBI and HikariCP, on embedded H2
 * (a file store for one daemon, or in memory for tests) or on PostgreSQL (production, several
 * daemons on one database), with the schema managed by Flyway ({@code
 * io/coordinate/sql/migration}). Everything that differs between the two databases is in {@code
 * Dialect}; all other SQL is shared.
 *
 * <h2>Schema</h2>
 *
 * <p>Tables {@code namespace}, {@code work_spec}, {@code worker}, {@code work_unit} and {@code
 * attempt}. Work unit keys are binary columns ({@code BYTEA}, {@code VARBINARY}), which both
 * databases compare as unsigned bytes, so key order is the API's order ({@code 0x80} after {@code
 * 0x7f}) in listings, ranges, leases and the indexes themselves. Data maps are CBOR ({@code
 * CborCodec}), so bytes, tuples and UUIDs come back exactly. Times are microseconds since the
 * epoch, taken from the configured clock, never from the database's. A unit's {@code status}
 * column mirrors its active attempt and changes in the same transaction; the index {@code
 * work_unit_lease (spec_id, status, priority DESC, unit_key)} gives a lease the first available
 * units of a spec in lease order without reading any other unit, and {@code attempt_expiry (status,
 * expiration_us)} finds expired leases without a scan. Counts are exact {@code COUNT}s over these
 * indexes, never cached.
 *
 * <p>{@code work_unit.spec_id} has no foreign key (schema version 2 dropped it): checked row by
 * row, it cost as much as the rest of a bulk add. The rule is kept by row locks instead: an add
 * locks its spec's row (PostgreSQL: {@code FOR KEY SHARE}, which other adds and leases do not wait
 * for) and finds it gone or adds; destroying a spec or a namespace locks the spec rows for update,
 * which waits for adds in flight, then deletes their units. On PostgreSQL a batch of 64 units or
 * more is added by a binary {@code COPY} under a savepoint, and by an insert-if-absent over arrays
 * when a key exists already.
 *
 * <h2>Transactions</h2>
 *
 * <p>Every API call is one READ COMMITTED transaction ({@code SqlStore.tx}). A transaction that
 * loses a deadlock, a serialization check or a get-or-create race (a unique key another transaction
 * just inserted) is run again from the start, a few times. A database that cannot be reached (a
 * connection error, a server shutting down or out of connections, no connection within the
 * configured timeout) becomes {@link io.coordinate.api.BackendUnavailableException} whose message
 * names the database in one line; the failed call is not retried, since a commit whose answer was
 * lost may have happened (a lease committed that way stays with its worker until it expires). The
 * pool discards broken connections and opens new ones when the database returns, so the same
 * backend works again by itself.
 *
 * <h2>Leasing</h2>
 *
 * <p>A request for work ({@code Leasing}) expires what ran out, reads every spec's meta with its
 * pending count and whether it has an available unit, lets the {@code Scheduler} choose a spec, and
 * claims that spec's first available units with {@code SELECT … ORDER BY … FETCH FIRST n ROWS ONLY
 * FOR UPDATE SKIP LOCKED}, then inserts their attempts (on PostgreSQL all in one statement with
 * data-modifying {@code WITH} queries, one round trip whatever the batch size). {@code SKIP LOCKED} is why there is no
 * global lock: concurrent requests, from this daemon or from others on the same database, each take
 * the first units nobody else is claiming at that moment, without waiting for each other's
 * transactions, and a unit locked by one request is invisible to the others until it commits (by
 * then it is pending, so they would not take it anyway). The claiming {@code UPDATE} checks again
 * that the unit is still available, so a unit is never leased twice.
 *
 * <p>A limit about a whole spec cannot work that way: two requests that skip each other's units
 * could each count four pending units and each lease one more, breaking {@code max_running = 5};
 * two requests for a continuous spec could each create the unit for "now". So a lease of a spec
 * with {@code max_running} or a continuous spec first locks that spec's row ({@code SELECT … FOR
 * UPDATE}) and counts its pending units again under the lock. Under READ COMMITTED each statement
 * sees everything committed before it started, so a request that got the lock after another one
 * committed sees that one's leases: the limit holds against the real state of the database, across
 * every daemon, at every instant. Leases of such a spec run one at a time; leases of other specs
 * never take the lock. Finishing or expiring a unit only lowers the count and takes no spec lock.
 * A request that finds the spec full once it holds the lock commits at once and chooses again in a
 * new transaction: choosing another spec with the lock still held would queue every lease of the
 * full spec behind it (and two such requests, each holding the spec the other wants, deadlock).
 *
 * <p>A rate-limited spec is such a spec too: its token bucket is two columns of its row ({@code
 * rate_tokens} at {@code rate_as_of_us}), which a lease reads under the row lock, refills by the
 * clock read once the lock is granted, spends and writes back before committing ({@code
 * SpecPolicies}); the lease's attempts start at that same time, so leases of the spec are timed in
 * the order they held its lock. So a rate limit holds across every daemon as exactly as {@code
 * max_running} does, up to the daemons' clock skew.
 *
 * <h2>Retention</h2>
 *
 * <p>{@code work_unit.ended_us} holds when a finished or failed unit's active attempt ended (set with
 * the status, in the same statement), and the index {@code work_unit_ended (spec_id, status,
 * ended_us, id)} lists a spec's ended units oldest first; on PostgreSQL it is partial ({@code WHERE
 * status >= 3}), so adding and leasing units never touch it. {@code WorkSpec.archive} ({@code
 * Archiving}) deletes in transactions of at most 1,000 units that lock only those units (never the
 * spec's row or available units), so leases go on during a sweep.
 *
 * <h2>Lock order</h2>
 *
 * <p>Every transaction that changes a unit and its attempts locks the unit's row first, then
 * touches the attempt rows (attempt transitions, {@code makeAttempt}, clearing the active attempt,
 * leasing, the expiry sweep, re-adding a unit); a lease that takes a spec lock takes it before any
 * unit it claims. The same order everywhere keeps the common paths free of deadlocks; the rare
 * ones left (destroying a spec while a lease that already swept one of its units waits for the spec
 * lock, or two bulk adds of the same keys in different orders) are detected by the database, and
 * the loser is retried.
 *
 * <h2>Expiry</h2>
 *
 * <p>No thread, in any daemon, needs to notice that a lease ran out. Each call whose answer depends
 * on it (leasing, counts, status queries) first sweeps: it finds pending attempts whose expiration
 * is past through {@code attempt_expiry} (one index probe when there are none), locks their units
 * with {@code SKIP LOCKED} (a unit another transaction holds is being finished or renewed right
 * now, and the next sweep sees the outcome), marks the attempts expired and makes the units
 * available again, at most a few hundred per call. Reads that do not sweep treat a pending attempt
 * past its expiration as expired, so no answer depends on when the sweep ran. An expired lease
 * taken on one daemon is therefore available to the next request on any daemon.
 *
 * <h2>Unit events and metrics</h2>
 *
 * <p>{@link io.coordinate.sql.SqlConfig#unitEvents()} is told of every lease, result and expiry
 * ({@link io.coordinate.api.UnitEvents}) after the transaction that made it commits (Jdbi's
 * after-commit callbacks), so a transaction that rolls back or is retried tells nothing twice. The
 * sweep tells the leases it expires per spec, with one more statement when it expired any; a lease
 * past its time that a call changes first (completes, renews, or re-adds, clears or force-leases
 * its unit) is told as expired by that call, as the in-memory backend would. With {@link
 * io.coordinate.sql.SqlConfig#meterRegistry()} the pool reports HikariCP's own meters and the
 * statement count is a counter. Neither ever adds a statement that counts units.
 *
 * <h2>H2</h2>
 *
 * <p>H2 applies a row limit before it skips locked rows, so {@code SKIP LOCKED} with {@code FETCH
 * FIRST} can come back empty while units remain, and with a lock it sorts every available unit
 * instead of reading the index in order. But an H2 file can be open in only one process, so leases
 * are serialized by a lock in this JVM per database and namespace (shared by every backend opened
 * on that database here), and claim without row locks; the claiming {@code UPDATE} still checks
 * that the unit is available. Everything else, including the spec lock, is the same as on
 * PostgreSQL.
 *
 * <h2>Several daemons on one PostgreSQL database</h2>
 *
 * <p>Each daemon has its own pool; they share nothing but the database. Leasing, {@code
 * max_running}, continuous specs, expiry and every other operation are exact across them, and they
 * may start at the same time (Flyway serializes migrations with a database lock). {@link
 * io.coordinate.sql.SqlConfig#schema()} puts the tables in a schema of their own, so separate sets
 * of namespaces can share one database.
 *
 * <h2>Advisory locks</h2>
 *
 * <p>A namespace's locks ({@link io.coordinate.api.Namespace#locks()}, the CBOR-RPC lock methods)
 * are rows of {@code path_lock}, keyed by the path's canonical key ({@link
 * io.coordinate.api.locks.LockPath}): the path and its ancestors are found by key, its descendants
 * as a range of the primary key. Each call that changes locks first locks the namespace's row, so
 * the lock calls of a namespace run one at a time across every daemon on the database, and deletes
 * the namespace's expired rows; reads skip expired rows. Deadlines come from the backend's clock.
 */
package io.coordinate.sql;
