/**
 * A caching decorator over any backend: {@link io.coordinate.cache.CachingCoordinate} keeps the
 * handles of namespaces, work specs, work units and workers in Caffeine caches keyed by name, so
 * the many look-ups by name of a job server ({@code WorkSpec("name")}, {@code WorkUnit("key")},
 * {@code Worker("id")}) stop costing a round trip each.
 *
 * <h2>What a cached handle means</h2>
 *
 * <p>A cached handle stands for a name, not for one object: "the unit with this key, in the spec
 * with this name, in the namespace with this name". It holds the wrapped backend's handle of the
 * object last seen under that name. When that handle answers {@link io.coordinate.api.GoneException}
 * (the object was deleted, here or by another process on the same database), the cached handle
 * looks the name up again, once, and repeats the call on the object it finds: after a delete and a
 * re-create, old handles follow the new object. If nothing has the name any more, the call fails
 * with the original {@code GoneException} and the handle leaves the cache, so the next look-up by
 * name asks the wrapped backend and gets its not-found answer. Look-ups by name after a delete
 * through this cache miss the cache as well (deletes drop what they deleted: a namespace its specs,
 * units and workers; a spec its units; a unit delete the spec's units).
 *
 * <p>Attempts are not names: an attempt is one lease of one unit, and its calls go to that attempt
 * only, never to a lease of a unit re-created under the same key.
 *
 * <h2>What is never cached</h2>
 *
 * <p>Only identity is cached. Every call that reads or changes state goes to the wrapped backend:
 * statuses, counts, meta, data, attempts and every request for work, so {@code max_running} and all
 * other scheduling rules hold exactly as they do without the cache. Every list a caller gets (specs'
 * units, workers, attempts, attempts' units and workers) holds cached handles too, so callers never
 * mix cached and wrapped handles.
 *
 * <h2>Caveat</h2>
 *
 * <p>A look-up by name that hits the cache asks nothing: if another process deleted the object, the
 * look-up returns the cached handle and the first call on it fails with {@code GoneException}
 * (unless the name exists again, in which case it simply works). Without the cache the look-up
 * itself would have failed with not-found. The size and idle expiry of the caches are set by
 * {@link io.coordinate.cache.CacheSettings}; {@link io.coordinate.cache.CachingCoordinate#stats()}
 * gives their hit rate.
 */
package io.coordinate.cache;
