package io.coordinate.sql;

import io.coordinate.api.GoneException;
import io.coordinate.api.Locks;
import io.coordinate.api.locks.LockPath;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * A namespace's advisory locks in the {@code path_lock} table, shared by every process on the
 * database. A row is a locked path, keyed by its {@link LockPath#key()} (stored as bytes): the path
 * itself and its ancestors are found by key, its descendants as the range of keys between {@link
 * LockPath#key()} and {@link LockPath#descendantBound()}, all through the primary key.
 *
 * <p>Every call that changes locks first locks the namespace's row ({@link
 * Dialect#lockTreeLock()}), so the calls of one namespace run one at a time in every process and a
 * check and the insert that follows it cannot interleave with another's; then it deletes the
 * namespace's expired rows. Reading owners takes no lock and ignores expired rows. Deadlines come
 * from the transaction's time, the backend's clock, so processes on one clock agree when a lock
 * ends.
 */
final class SqlLocks implements Locks {
  /** The most keys one statement names, well within every driver's limit on parameters. */
  private static final int KEYS_PER_STATEMENT = 500;

  private final SqlNamespace namespace;

  SqlLocks(SqlNamespace namespace) {
    this.namespace = namespace;
  }

  private SqlStore store() {
    return namespace.store();
  }

  @Override
  public OptionalInt lockAll(String owner, Duration timeout, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    LockPath.timeout(timeout);
    List<LockPath> checked = LockPath.all(paths);
    return store()
        .tx(
            (h, now) -> {
              lockTree(h, now);
              for (int i = 0; i < checked.size(); i++) {
                if (!lockable(h, checked.get(i))) {
                  return OptionalInt.of(i);
                }
              }
              insert(h, new LinkedHashSet<>(checked), owner, deadline(now, timeout));
              return OptionalInt.empty();
            });
  }

  @Override
  public boolean[] lockSome(String owner, Duration timeout, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    LockPath.timeout(timeout);
    List<LockPath> checked = LockPath.all(paths);
    return store()
        .tx(
            (h, now) -> {
              lockTree(h, now);
              boolean[] locked = new boolean[checked.size()];
              for (int i = 0; i < checked.size(); i++) {
                // Each check sees the rows this transaction has inserted so far.
                if (lockable(h, checked.get(i))) {
                  insert(h, List.of(checked.get(i)), owner, deadline(now, timeout));
                  locked[i] = true;
                }
              }
              return locked;
            });
  }

  @Override
  public Optional<Refusal> renewAll(String owner, Duration timeout, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    LockPath.timeout(timeout);
    return ifAllHeldBy(
        owner,
        LockPath.all(paths),
        (h, now, keys) ->
            h.createUpdate(
                    "UPDATE path_lock SET deadline_us = :deadline"
                        + " WHERE namespace_id = :ns AND path IN (<keys>)")
                .bind("deadline", deadline(now, timeout))
                .bind("ns", namespace.id())
                .bindList("keys", keys)
                .execute());
  }

  @Override
  public List<String> owners(List<? extends List<?>> paths) {
    List<LockPath> checked = LockPath.all(paths);
    Map<String, String> holders =
        store()
            .tx(
                (h, now) -> {
                  namespace.requireLive(h);
                  return holders(h, checked, now);
                });
    String[] owners = new String[checked.size()];
    for (int i = 0; i < owners.length; i++) {
      owners[i] = holders.get(checked.get(i).key());
    }
    return Arrays.asList(owners);
  }

  @Override
  public Optional<Refusal> unlockAll(String owner, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    return ifAllHeldBy(
        owner,
        LockPath.all(paths),
        (h, now, keys) ->
            h.createUpdate("DELETE FROM path_lock WHERE namespace_id = :ns AND path IN (<keys>)")
                .bind("ns", namespace.id())
                .bindList("keys", keys)
                .execute());
  }

  /** A statement over some of the paths' keys, at most a chunk of them ({@code <keys>}). */
  @FunctionalInterface
  private interface ChunkStatement {
    void run(Handle h, long now, List<byte[]> keys);
  }

  /**
   * In one transaction under the tree lock: the refusal if {@code owner} does not hold every one of
   * {@code checked}, else runs {@code statement} over their keys, a chunk at a time.
   */
  private Optional<Refusal> ifAllHeldBy(
      String owner, List<LockPath> checked, ChunkStatement statement) {
    return store()
        .tx(
            (h, now) -> {
              lockTree(h, now);
              Optional<Refusal> refused = refusal(checked, owner, holders(h, checked, now));
              if (refused.isEmpty()) {
                for (List<byte[]> keys : chunks(checked)) {
                  statement.run(h, now, keys);
                }
              }
              return refused;
            });
  }

  @Override
  public void deleteTree(Object top) {
    LockPath tree = LockPath.ofLabel(top);
    store()
        .txRun(
            (h, now) -> {
              lockTree(h, now);
              h.createUpdate(
                      "DELETE FROM path_lock WHERE namespace_id = :ns"
                          + " AND path >= :key AND path < :bound")
                  .bind("ns", namespace.id())
                  .bind("key", bytes(tree.key()))
                  .bind("bound", bytes(tree.descendantBound()))
                  .execute();
            });
  }

  /**
   * Locks the namespace's row until the transaction ends (or raises {@link GoneException} if the
   * namespace was destroyed), then deletes its expired locks: from here on, every row of the
   * namespace is a live lock.
   */
  private void lockTree(Handle h, long now) {
    if (h.createQuery(
            "SELECT 1 FROM namespace WHERE id = :id " + store().dialect.lockTreeLock())
        .bind("id", namespace.id())
        .mapTo(Integer.class)
        .findOne()
        .isEmpty()) {
      throw new GoneException("namespace " + namespace.name());
    }
    h.createUpdate("DELETE FROM path_lock WHERE namespace_id = :ns AND deadline_us <= :now")
        .bind("ns", namespace.id())
        .bind("now", now)
        .execute();
  }

  /** No lock on the path, on an ancestor, or on a descendant: two probes of the primary key. */
  private boolean lockable(Handle h, LockPath path) {
    List<byte[]> selfAndAncestors = new ArrayList<>(path.depth());
    for (String key : path.ancestorKeys()) {
      selfAndAncestors.add(bytes(key));
    }
    selfAndAncestors.add(bytes(path.key()));
    return h.createQuery(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM path_lock WHERE namespace_id = :ns"
                + " AND path IN (<keys>)) OR EXISTS (SELECT 1 FROM path_lock"
                + " WHERE namespace_id = :ns AND path > :key AND path < :bound)"
                + " THEN 0 ELSE 1 END")
        .bind("ns", namespace.id())
        .bindList("keys", selfAndAncestors)
        .bind("key", bytes(path.key()))
        .bind("bound", bytes(path.descendantBound()))
        .mapTo(Integer.class)
        .one()
        == 1;
  }

  private void insert(Handle h, Iterable<LockPath> paths, String owner, long deadline) {
    PreparedBatch batch =
        h.prepareBatch(
            "INSERT INTO path_lock (namespace_id, path, owner, deadline_us)"
                + " VALUES (:ns, :path, :owner, :deadline)");
    for (LockPath path : paths) {
      batch
          .bind("ns", namespace.id())
          .bind("path", bytes(path.key()))
          .bind("owner", owner)
          .bind("deadline", deadline)
          .add();
    }
    batch.execute();
  }

  /** The owners of the live locks on these paths, by key. */
  private Map<String, String> holders(Handle h, List<LockPath> paths, long now) {
    Map<String, String> holders = new HashMap<>();
    for (List<byte[]> keys : chunks(paths)) {
      h.createQuery(
              "SELECT path, owner FROM path_lock WHERE namespace_id = :ns"
                  + " AND path IN (<keys>) AND deadline_us > :now")
          .bind("ns", namespace.id())
          .bindList("keys", keys)
          .bind("now", now)
          .map((rs, ctx) -> Map.entry(key(rs.getBytes(1)), rs.getString(2)))
          .forEach(e -> holders.put(e.getKey(), e.getValue()));
    }
    return holders;
  }

  /** The first path {@code owner} does not hold, with its holder, as the in-memory tree says. */
  private static Optional<Refusal> refusal(
      List<LockPath> paths, String owner, Map<String, String> holders) {
    for (int i = 0; i < paths.size(); i++) {
      String holder = holders.get(paths.get(i).key());
      if (!owner.equals(holder)) {
        return Optional.of(new Refusal(i, holder));
      }
    }
    return Optional.empty();
  }

  /** The distinct keys of {@code paths} as bytes, a statement's worth at a time. */
  private static List<List<byte[]>> chunks(List<LockPath> paths) {
    List<List<byte[]>> chunks = new ArrayList<>();
    List<byte[]> chunk = new ArrayList<>();
    for (LockPath path : new LinkedHashSet<>(paths)) {
      if (chunk.size() == KEYS_PER_STATEMENT) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
      }
      chunk.add(bytes(path.key()));
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  private static long deadline(long now, Duration timeout) {
    return now + SqlStore.micros(timeout);
  }

  /** Keys hold only hex digits and '/': one byte per character, ordered as the characters. */
  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.US_ASCII);
  }

  private static String key(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "Locks[" + namespace.name() + "]";
  }
}
