/**
 * The in-process backend: every namespace lives in the heap of this JVM.
 *
 * <h2>Locking</h2>
 *
 * Each namespace has one {@link java.util.concurrent.locks.ReentrantLock}, and every piece of its
 * state (work specs, units, attempts, workers and the indexes below) is guarded by it. A call takes
 * the lock once, does all its work, and releases it; nothing blocks while holding it. One lock per
 * namespace keeps the cross-object rules exact and simple (a lease, its unit's status, the spec's
 * counts and the worker's list change together, so max_running can never be overrun) while calls on
 * different namespaces never contend. Every operation under the lock is O(log n) in the number of
 * units or better, so the lock is held for microseconds.
 *
 * <h2>Indexes</h2>
 *
 * <ul>
 *   <li>per work spec, the available units in a tree ordered by (priority descending, key
 *       ascending): a lease takes the first entry instead of scanning the queue;
 *   <li>per work spec, a count per status, changed with every transition, so counts and scheduling
 *       never scan;
 *   <li>per namespace, pending attempts ordered by expiration, and delayed units ordered by their
 *       not-before time;
 *   <li>per work spec, the finished and the failed units ordered by when they ended: retention
 *       deletes from the front of these, never scanning the rest.
 * </ul>
 *
 * <p>A rate-limited spec's token bucket is part of its state, refilled from the call's time and
 * spent by leases under the same lock, so the limit is exact across threads.
 *
 * <p>A namespace's advisory locks ({@link io.coordinate.api.Namespace#locks()}) are an {@link
 * io.coordinate.api.locks.MemoryLocks} tree, called under the same lock and on the time of the
 * call, so they go with the namespace when it is destroyed.
 *
 * <h2>Time</h2>
 *
 * Statuses that change by the clock alone (a lease running out, a delay ending) are applied lazily:
 * each call first pops the entries of the two time-ordered indexes whose time has passed. Nothing
 * else ever scans, so expiry needs no sweeper and no worker's help.
 *
 * <h2>Handles</h2>
 *
 * The objects callers hold ({@code WorkSpec}, {@code WorkUnit}, …) are thin handles on the state
 * records. Deleting marks the records deleted; a handle checks that flag under the lock, so it
 * raises {@link io.coordinate.api.GoneException} instead of acting on stale state, even when a new
 * object of the same name has been created since.
 */
package io.coordinate.memory;
