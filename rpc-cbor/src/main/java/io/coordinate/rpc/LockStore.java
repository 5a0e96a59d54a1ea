package io.coordinate.rpc;

import java.time.Duration;
import java.util.List;

/**
 * Hierarchical advisory locks on key paths (lists of labels), with an owner and a timeout. Locking a
 * path fails while the path, any of its ancestors, or any of its descendants is locked. Locks are
 * not reentrant. Byte-string and text labels with the same UTF-8 content are the same label.
 *
 * <p>Kept behind this interface so that a store shared by several daemons can replace the in-memory
 * one.
 */
interface LockStore {
  /** Locks every path, or none: the first path that cannot be locked, or {@code null} on success. */
  List<?> lockAll(String owner, Duration timeout, List<List<?>> paths);

  /** Locks each path that can be locked; per path, whether it was. */
  boolean[] lockSome(String owner, Duration timeout, List<List<?>> paths);

  /**
   * Extends every path's lock, all or none: {@code null} on success, else a message naming the
   * first path not held by {@code owner}.
   */
  String renewAll(String owner, Duration timeout, List<List<?>> paths);

  /** The owner of each path's lock, or {@code null} where it is not locked. */
  List<String> owners(List<List<?>> paths);

  /** Unlocks every path, all or none: {@code null} on success, else why not. */
  String unlockAll(String owner, List<List<?>> paths);

  /** Drops the whole tree under the top-level label {@code prefix}, locked or not. */
  void deleteTree(Object prefix);
}
