package io.coordinate.rpc;

import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The lock tree in this daemon's memory. One monitor guards it; every call first unlocks what has
 * expired and prunes branches that lead to no lock, so the tree only holds live locks.
 */
final class MemoryLockStore implements LockStore {
  private static final class Node {
    final Map<Object, Node> children = new HashMap<>();
    String owner;
    Instant deadline; // null: not locked

    boolean locked() {
      return deadline != null;
    }
  }

  private final Clock clock;
  private final Node root = new Node();

  MemoryLockStore(Clock clock) {
    this.clock = clock;
  }

  /**
   * Byte-string labels are their text, so clients mixing the two agree on the same lock; the same
   * holds inside list and tuple labels.
   */
  private static Object label(Object o) {
    if (o instanceof ByteString b) {
      return b.toUtf8();
    }
    if (o instanceof Tuple t) {
      return new Tuple(labels(t.items()));
    }
    if (o instanceof List<?> l) {
      return labels(l);
    }
    return o;
  }

  private static List<Object> labels(List<?> items) {
    List<Object> result = new ArrayList<>(items.size());
    for (Object item : items) {
      result.add(label(item));
    }
    return result;
  }

  @Override
  public synchronized List<?> lockAll(String owner, Duration timeout, List<List<?>> paths) {
    Instant now = sweep();
    for (List<?> path : paths) {
      if (!lockable(path)) {
        return path;
      }
    }
    for (List<?> path : paths) {
      lock(path, owner, now.plus(timeout));
    }
    return null;
  }

  @Override
  public synchronized boolean[] lockSome(String owner, Duration timeout, List<List<?>> paths) {
    Instant now = sweep();
    boolean[] locked = new boolean[paths.size()];
    for (int i = 0; i < paths.size(); i++) {
      if (lockable(paths.get(i))) {
        lock(paths.get(i), owner, now.plus(timeout));
        locked[i] = true;
      }
    }
    return locked;
  }

  @Override
  public synchronized String renewAll(String owner, Duration timeout, List<List<?>> paths) {
    Instant now = sweep();
    List<Node> nodes = new ArrayList<>();
    for (List<?> path : paths) {
      Node n = find(path);
      if (n == null || !n.locked()) {
        return path + " is held by None";
      }
      if (!n.owner.equals(owner)) {
        return path + " is held by " + n.owner;
      }
      nodes.add(n);
    }
    for (Node n : nodes) {
      n.deadline = now.plus(timeout);
    }
    return null;
  }

  @Override
  public synchronized List<String> owners(List<List<?>> paths) {
    sweep();
    List<String> owners = new ArrayList<>();
    for (List<?> path : paths) {
      Node n = find(path);
      owners.add(n != null && n.locked() ? n.owner : null);
    }
    return owners;
  }

  @Override
  public synchronized String unlockAll(String owner, List<List<?>> paths) {
    sweep();
    for (List<?> path : paths) {
      Node n = find(path);
      if (n == null || !n.locked()) {
        return path + " is not held";
      }
      if (!n.owner.equals(owner)) {
        return path + " is held by " + n.owner;
      }
    }
    for (List<?> path : paths) {
      Node n = find(path);
      n.deadline = null;
      n.owner = null;
    }
    prune(root);
    return null;
  }

  @Override
  public synchronized void deleteTree(Object prefix) {
    sweep();
    root.children.remove(label(prefix));
  }

  /** Unlocks expired locks and prunes empty branches; returns now. */
  private Instant sweep() {
    Instant now = clock.instant();
    expire(root, now);
    prune(root);
    return now;
  }

  private static void expire(Node node, Instant now) {
    if (node.locked() && !node.deadline.isAfter(now)) {
      node.deadline = null;
      node.owner = null;
    }
    for (Node child : node.children.values()) {
      expire(child, now);
    }
  }

  /** Removes unlocked leaves bottom-up; true if {@code node} itself is now empty and unlocked. */
  private static boolean prune(Node node) {
    for (Iterator<Node> it = node.children.values().iterator(); it.hasNext(); ) {
      if (prune(it.next())) {
        it.remove();
      }
    }
    return node.children.isEmpty() && !node.locked();
  }

  private boolean lockable(List<?> path) {
    Node n = root;
    for (Object l : path) {
      n = n.children.get(label(l));
      if (n == null) {
        return true;
      }
      if (n.locked()) {
        return false;
      }
    }
    return n.children.isEmpty();
  }

  private void lock(List<?> path, String owner, Instant deadline) {
    Node n = root;
    for (Object l : path) {
      n = n.children.computeIfAbsent(label(l), k -> new Node());
    }
    n.owner = owner;
    n.deadline = deadline;
  }

  private Node find(List<?> path) {
    Node n = root;
    for (Object l : path) {
      n = n.children.get(label(l));
      if (n == null) {
        return null;
      }
    }
    return n == root ? null : n;
  }
}
