package io.coordinate.api;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A namespace's hierarchical advisory locks: the locks of the CBOR-RPC methods {@code lock}, {@code
 * locksome}, {@code renew}, {@code readlock}, {@code unlock} and {@code delete_namespace}, kept by
 * the backend so that every process sharing the store (several daemons on one database) sees the
 * same locks. Obtained through {@link Namespace#locks()}.
 *
 * <p>A lock is held on a <em>path</em>: a non-empty list of labels, at most {@value
 * io.coordinate.api.locks.LockPath#MAX_DEPTH} of them. A label is any data value (see {@link
 * io.coordinate.api.data.DataValues}): text, byte strings, numbers, booleans, null, UUIDs, lists,
 * tuples and maps of these. Labels are compared by content after the data-model normalization
 * ({@code Integer} 1 is {@code Long} 1), except that a byte string holding well-formed UTF-8 is the
 * same label as the text it decodes to, at any depth (inside list, tuple and map labels too):
 * Python 2 clients send text as bytes. A list and a tuple of the same items are different labels,
 * as are {@code 1} and {@code 1.0}.
 *
 * <p>The rules:
 *
 * <ul>
 *   <li>A path can be locked unless it, one of its ancestors (a proper prefix) or one of its
 *       descendants (a path it is a proper prefix of) is locked. Siblings do not block each other.
 *   <li>Locks are not reentrant: locking a path its own owner holds fails like any other.
 *   <li>Every lock has an owner (a string) and a deadline, the backend's clock at the call plus the
 *       timeout; from its deadline on it is expired, and an expired lock behaves as absent
 *       everywhere (it blocks nothing, has no owner, cannot be renewed or unlocked). A zero or
 *       negative timeout gives a lock that has expired already.
 *   <li>Destroying the namespace drops its locks; a handle of a destroyed namespace raises {@link
 *       GoneException} like every other call on it.
 * </ul>
 *
 * <p>Every operation is atomic with respect to the others, also across processes sharing the
 * store. Arguments are checked before anything changes: a null or malformed owner, timeout, path or
 * label raises {@link InvalidRequestException}.
 */
public interface Locks {

  /**
   * Locks every path for {@code owner}, or none. Each path is checked against the locks held before
   * the call, so paths of one call do not block each other.
   *
   * @return empty on success, else the index in {@code paths} of the first path that cannot be
   *     locked (nothing was locked)
   */
  OptionalInt lockAll(String owner, Duration timeout, List<? extends List<?>> paths);

  /**
   * Locks each path that can be locked, in order: a path is checked against the locks held before
   * the call and those this call has taken so far.
   *
   * @return per path, whether it was locked
   */
  boolean[] lockSome(String owner, Duration timeout, List<? extends List<?>> paths);

  /**
   * Moves the deadline of every path's lock to now plus {@code timeout}, all or none: each path
   * must be locked by {@code owner}.
   *
   * @return empty on success, else why not: the first path not held by {@code owner}
   */
  Optional<Refusal> renewAll(String owner, Duration timeout, List<? extends List<?>> paths);

  /**
   * The owner of each path's lock, or {@code null} where the path itself is not locked (a lock on
   * an ancestor or descendant does not count).
   */
  List<String> owners(List<? extends List<?>> paths);

  /**
   * Unlocks every path, all or none: each path must be locked by {@code owner}.
   *
   * @return empty on success, else why not: the first path not held by {@code owner}
   */
  Optional<Refusal> unlockAll(String owner, List<? extends List<?>> paths);

  /**
   * Drops every lock whose path begins with the label {@code top}, the one-label path {@code [top]}
   * included, whoever holds it. Nothing happens where there is none.
   */
  void deleteTree(Object top);

  /**
   * Why a renew or an unlock changed nothing.
   *
   * @param index the index in the request's paths of the first path not held by the caller
   * @param holder who holds that path's lock, or {@code null} if it is not locked
   */
  record Refusal(int index, String holder) {}
}
