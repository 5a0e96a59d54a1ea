package io.coordinate.api.locks;

import io.coordinate.api.Locks;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * A lock tree in this process's memory, for the in-memory backend and for tests. One monitor
 * guards it. The tree holds only live locks and the branches leading to them: every call first
 * unlocks what has expired (found through an index by deadline, so a call costs nothing for the
 * locks that have not) and prunes each branch that no longer leads to a lock. So a path has a
 * locked descendant exactly when its node has children.
 *
 * <p>Nodes are keyed by {@link LockPath} segments, the canonical form that the SQL backend stores
 * too, so both agree on which labels are the same.
 */
public final class MemoryLocks implements Locks {
  private static final class Node {
    final Node parent;
    final String segment;
    final Map<String, Node> children = new HashMap<>();
    final long id;
    String owner;
    Instant deadline; // null: not locked

    Node(Node parent, String segment, long id) {
      this.parent = parent;
      this.segment = segment;
      this.id = id;
    }

    boolean locked() {
      return deadline != null;
    }
  }

  private static final Comparator<Node> BY_DEADLINE =
      Comparator.<Node, Instant>comparing(n -> n.deadline).thenComparingLong(n -> n.id);

  private final InstantSource clock;
  private final Node root = new Node(null, null, 0);
  /** Every locked node, soonest deadline first. */
  private final TreeSet<Node> byDeadline = new TreeSet<>(BY_DEADLINE);

  private long nextId = 1;

  /**
   * A lock tree whose deadlines {@code clock} measures: a {@link java.time.Clock}, or for a backend
   * the time of the call in progress.
   */
  public MemoryLocks(InstantSource clock) {
    if (clock == null) {
      throw new NullPointerException("clock");
    }
    this.clock = clock;
  }

  @Override
  public synchronized OptionalInt lockAll(
      String owner, Duration timeout, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    LockPath.timeout(timeout);
    List<LockPath> checked = LockPath.all(paths);
    Instant now = sweep();
    for (int i = 0; i < checked.size(); i++) {
      if (!lockable(checked.get(i))) {
        return OptionalInt.of(i);
      }
    }
    for (LockPath path : checked) {
      lock(path, owner, now.plus(timeout));
    }
    return OptionalInt.empty();
  }

  @Override
  public synchronized boolean[] lockSome(
      String owner, Duration timeout, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    LockPath.timeout(timeout);
    List<LockPath> checked = LockPath.all(paths);
    Instant now = sweep();
    boolean[] locked = new boolean[checked.size()];
    for (int i = 0; i < checked.size(); i++) {
      if (lockable(checked.get(i))) {
        lock(checked.get(i), owner, now.plus(timeout));
        locked[i] = true;
      }
    }
    return locked;
  }

  @Override
  public synchronized Optional<Refusal> renewAll(
      String owner, Duration timeout, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    LockPath.timeout(timeout);
    List<LockPath> checked = LockPath.all(paths);
    Instant now = sweep();
    List<Node> nodes = new ArrayList<>(checked.size());
    for (int i = 0; i < checked.size(); i++) {
      Node n = find(checked.get(i));
      Optional<Refusal> refused = refusal(i, n, owner);
      if (refused.isPresent()) {
        return refused;
      }
      nodes.add(n);
    }
    Instant deadline = now.plus(timeout);
    for (Node n : nodes) {
      setLock(n, owner, deadline);
    }
    // A timeout of zero or less expires the locks at once.
    sweep();
    return Optional.empty();
  }

  @Override
  public synchronized List<String> owners(List<? extends List<?>> paths) {
    List<LockPath> checked = LockPath.all(paths);
    sweep();
    String[] owners = new String[checked.size()];
    for (int i = 0; i < checked.size(); i++) {
      Node n = find(checked.get(i));
      owners[i] = n != null && n.locked() ? n.owner : null;
    }
    return Arrays.asList(owners);
  }

  @Override
  public synchronized Optional<Refusal> unlockAll(String owner, List<? extends List<?>> paths) {
    LockPath.owner(owner);
    List<LockPath> checked = LockPath.all(paths);
    sweep();
    List<Node> nodes = new ArrayList<>(checked.size());
    for (int i = 0; i < checked.size(); i++) {
      Node n = find(checked.get(i));
      Optional<Refusal> refused = refusal(i, n, owner);
      if (refused.isPresent()) {
        return refused;
      }
      nodes.add(n);
    }
    for (Node n : nodes) {
      unlock(n);
    }
    return Optional.empty();
  }

  @Override
  public synchronized void deleteTree(Object top) {
    String segment = LockPath.ofLabel(top).segments().getFirst();
    sweep();
    Node subtree = root.children.remove(segment);
    if (subtree != null) {
      forget(subtree);
    }
  }

  private static Optional<Refusal> refusal(int index, Node n, String owner) {
    if (n == null || !n.locked()) {
      return Optional.of(new Refusal(index, null));
    }
    if (!n.owner.equals(owner)) {
      return Optional.of(new Refusal(index, n.owner));
    }
    return Optional.empty();
  }

  /** Unlocks every lock whose deadline has come; returns now. */
  private Instant sweep() {
    Instant now = clock.instant();
    while (!byDeadline.isEmpty() && !byDeadline.first().deadline.isAfter(now)) {
      unlock(byDeadline.first());
    }
    return now;
  }

  private boolean lockable(LockPath path) {
    Node n = root;
    for (String segment : path.segments()) {
      n = n.children.get(segment);
      if (n == null) {
        return true;
      }
      if (n.locked()) {
        return false; // the path itself or an ancestor
      }
    }
    return n.children.isEmpty(); // a child leads to a locked descendant
  }

  private void lock(LockPath path, String owner, Instant deadline) {
    Node n = root;
    for (String segment : path.segments()) {
      Node parent = n;
      n = parent.children.computeIfAbsent(segment, s -> new Node(parent, s, nextId++));
    }
    setLock(n, owner, deadline);
  }

  private void setLock(Node n, String owner, Instant deadline) {
    if (n.locked()) {
      byDeadline.remove(n);
    }
    n.owner = owner;
    n.deadline = deadline;
    byDeadline.add(n);
  }

  /** Releases {@code n}'s lock, then removes the nodes that no longer lead to a lock. */
  private void unlock(Node n) {
    if (n.locked()) {
      byDeadline.remove(n);
      n.owner = null;
      n.deadline = null;
    }
    for (Node x = n; x != root && !x.locked() && x.children.isEmpty(); x = x.parent) {
      x.parent.children.remove(x.segment, x);
    }
  }

  /** Takes every lock of a subtree cut from the tree out of the deadline index. */
  private void forget(Node subtree) {
    if (subtree.locked()) {
      byDeadline.remove(subtree);
    }
    for (Node child : subtree.children.values()) {
      forget(child);
    }
  }

  private Node find(LockPath path) {
    Node n = root;
    for (String segment : path.segments()) {
      n = n.children.get(segment);
      if (n == null) {
        return null;
      }
    }
    return n;
  }
}
