package io.coordinate.rpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The lock methods: {@code lock}, {@code locksome}, {@code renew}, {@code readlock}, {@code
 * unlock}, {@code delete_namespace}. Timeouts are seconds: 0 means a minute, and at most a million.
 */
final class LockMethods {
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  static final long MAX_TIMEOUT_SECONDS = 1_000_000;

  private final JobServer server;
  private final LockStore locks;

  LockMethods(JobServer server, LockStore locks) {
    this.server = server;
    this.locks = locks;
  }

  void register() {
    server.pair("lock", 3, 3, false, this::lock);
    server.pair("locksome", 3, 3, null, this::locksome);
    server.pair("renew", 3, 3, false, this::renew);
    server.bare("readlock", 1, 1, p -> locks.owners(paths(p, 0)));
    server.pair("unlock", 2, 2, false, this::unlock);
    server.bare(
        "delete_namespace",
        1,
        1,
        p -> {
          locks.deleteTree(p.raw(0));
          return 0L;
        });
  }

  private Object lock(Params p) {
    List<?> blocked = locks.lockAll(p.string(0, "owner"), timeout(p, 1), paths(p, 2));
    return blocked == null ? JobServer.ok(true) : JobServer.soft(false, blocked + " is not lockable");
  }

  private Object locksome(Params p) {
    List<List<?>> paths = paths(p, 2);
    boolean[] locked = locks.lockSome(p.string(0, "owner"), timeout(p, 1), paths);
    List<Object> result = new ArrayList<>(paths.size());
    for (int i = 0; i < paths.size(); i++) {
      result.add(locked[i] ? paths.get(i) : null);
    }
    return JobServer.ok(result);
  }

  private Object renew(Params p) {
    String why = locks.renewAll(p.string(0, "owner"), timeout(p, 1), paths(p, 2));
    return why == null ? JobServer.ok(true) : JobServer.soft(false, why);
  }

  private Object unlock(Params p) {
    String why = locks.unlockAll(p.string(0, "owner"), paths(p, 1));
    return why == null ? JobServer.ok(true) : JobServer.soft(false, why);
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
