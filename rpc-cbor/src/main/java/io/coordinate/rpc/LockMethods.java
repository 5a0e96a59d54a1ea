package io.coordinate.rpc;

import io.coordinate.api.Locks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The lock methods: {@code lock}, {@code locksome}, {@code renew}, {@code readlock}, {@code
 * unlock}, {@code delete_namespace}, over the served namespace's {@link Locks}. The backend keeps
 * the locks, so every daemon serving the namespace from one store shares them, and their deadlines
 * follow the backend's clock. Timeouts are seconds: 0 means a minute, and at most a million.
 */
final class LockMethods {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  static final long MAX_TIMEOUT_SECONDS = 1_000_000;

  private final JobServer server;

  LockMethods(JobServer server) {
    this.server = server;
  }

  void register() {
    server.pair("lock", 3, 3, false, this::lock);
    server.pair("locksome", 3, 3, null, this::locksome);
    server.pair("renew", 3, 3, false, this::renew);
    server.bare("readlock", 1, 1, p -> locks().owners(paths(p, 0)));
    server.pair("unlock", 2, 2, false, this::unlock);
    server.bare(
        "delete_namespace",
        1,
        1,
        p -> {
          locks().deleteTree(p.raw(0));
          return 0L;
        });
  }

  /** The locks of the namespace served now (it is replaced when destroyed behind the server). */
  private Locks locks() {
    return server.namespace().locks();
  }

  private Object lock(Params p) {
    List<List<?>> paths = paths(p, 2);
    OptionalInt blocked = locks().lockAll(p.string(0, "owner"), timeout(p, 1), paths);
    return blocked.isEmpty()
        ? JobServer.ok(true)
        : JobServer.soft(false, paths.get(blocked.getAsInt()) + " is not lockable");
  }

  private Object locksome(Params p) {
    List<List<?>> paths = paths(p, 2);
    boolean[] locked = locks().lockSome(p.string(0, "owner"), timeout(p, 1), paths);
    List<Object> result = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      result.add(locked[i] ? paths.get(i) : null);
    }
    return JobServer.ok(result);
  }

  private Object renew(Params p) {
    List<List<?>> paths = paths(p, 2);
    Optional<Locks.Refusal> refused = locks().renewAll(p.string(0, "owner"), timeout(p, 1), paths);
    if (refused.isEmpty()) {
      return JobServer.ok(true);
    }
    Locks.Refusal r = refused.get();
    // Worded as the reference server words it: Python's None where nobody holds the path.
    String holder = r.holder() == null ? "None" : r.holder();
    return JobServer.soft(false, paths.get(r.index()) + " is held by " + holder);
  }

  private Object unlock(Params p) {
    List<List<?>> paths = paths(p, 1);
    Optional<Locks.Refusal> refused = locks().unlockAll(p.string(0, "owner"), paths);
    if (refused.isEmpty()) {
      return JobServer.ok(true);
    }
    Locks.Refusal r = refused.get();
    Object path = paths.get(r.index());
    return JobServer.soft(
        false, r.holder() == null ? path + " is not held" : path + " is held by " + r.holder());
  }

  /** Whole seconds; 0 is a minute, at most a million either way (negative: already expired). */
  private static Duration timeout(Params p, int i) {
    long seconds = p.raw(i) == null ? 0 : (long) Numbers.requireDouble(p.raw(i), "timeout");
    if (seconds == 0) {
      return DEFAULT_TIMEOUT;
    }
    return Duration.ofSeconds(Math.clamp(seconds, -MAX_TIMEOUT_SECONDS, MAX_TIMEOUT_SECONDS));
  }

  /** The list of key paths at {@code i}; each path is a list (or tuple) of labels. */
  private static List<List<?>> paths(Params p, int i) {
    List<?> raw = p.list(i, "key paths");
    List<List<?>> paths = new ArrayList<>(raw.size());
    for (Object o : raw) {
      List<?> path = Params.asList(o);
      if (path == null) {
        throw new RpcError("each key path must be a list of labels, got " + Params.typeName(o));
      }
      if (path.isEmpty()) {
        // An empty path would name the root of the tree, which no lock may hold.
        throw new RpcError("a key path must hold at least one label");
      }
      paths.add(path);
    }
    return paths;
  }
}
