package io.coordinate.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import io.coordinate.api.Attempt;
import io.coordinate.api.Coordinate;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.Worker;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics;
import java.util.List;
import java.util.function.Predicate;

/**
 * A backend in front of another that keeps the handles of namespaces, work specs, work units and
 * workers by name, so that looking one up by name again costs no round trip to the wrapped
 * backend. Everything else, all state and all scheduling, goes to the wrapped backend on every call:
 * statuses, counts, meta, data, attempts, get_work. See the package documentation for what a cached
 * handle means.
 */
public final class CachingCoordinate implements Coordinate, MeterBinder {
  record SpecName(String namespace, String spec) {}

  record UnitName(String namespace, String spec, WorkUnitKey key) {}

  record WorkerName(String namespace, String worker) {}

  private final Coordinate delegate;
  final Cache<String, CachedNamespace> namespaces;
  final Cache<SpecName, CachedWorkSpec> specs;
  final Cache<UnitName, CachedWorkUnit> units;
  final Cache<WorkerName, CachedWorker> workers;

  private CachingCoordinate(Coordinate delegate, CacheSettings settings) {
    this.delegate = delegate;
    this.namespaces = newCache(settings);
    this.specs = newCache(settings);
    this.units = newCache(settings);
    this.workers = newCache(settings);
  }

  /** Caches the handles of {@code delegate}, which the returned backend closes with itself. */
  public static CachingCoordinate wrap(Coordinate delegate, CacheSettings settings) {
    if (delegate == null || settings == null) {
      throw new IllegalArgumentException("a backend and cache settings are required");
    }
    return new CachingCoordinate(delegate, settings);
  }

  private static <K, V> Cache<K, V> newCache(CacheSettings settings) {
    return Caffeine.newBuilder()
        .maximumSize(settings.maximumSize())
        .expireAfterAccess(settings.expireAfterAccess())
        .recordStats()
        .build();
  }

  /** The wrapped backend. */
  public Coordinate delegate() {
    return delegate;
  }

  /** Hits, misses and evictions of all four caches together, since this backend was created. */
  public CacheStats stats() {
    return namespaces.stats().plus(specs.stats()).plus(units.stats()).plus(workers.stats());
  }

  /** Handles currently cached, of all kinds. */
  public long size() {
    return namespaces.estimatedSize()
        + specs.estimatedSize()
        + units.estimatedSize()
        + workers.estimatedSize();
  }

  /**
   * Registers each cache's look-ups, hits and misses (so its hit rate), size and evictions, with
   * Micrometer's Caffeine binder: {@code cache.gets{result=hit|miss}}, {@code cache.size}, {@code
   * cache.evictions}, {@code cache.puts} and the like, tagged {@code cache} = {@code namespaces},
   * {@code work_specs}, {@code work_units} or {@code workers}. Reading them costs what {@link
   * #stats()} costs: counters, no walk over the entries.
   */
  @Override
  public void bindTo(MeterRegistry registry) {
    CaffeineCacheMetrics.monitor(registry, namespaces, "namespaces", Tags.empty());
    CaffeineCacheMetrics.monitor(registry, specs, "work_specs", Tags.empty());
    CaffeineCacheMetrics.monitor(registry, units, "work_units", Tags.empty());
    CaffeineCacheMetrics.monitor(registry, workers, "workers", Tags.empty());
  }

  @Override
  public Namespace namespace(String name) {
    if (name == null) {
      return delegate.namespace(null); // the wrapped backend's error
    }
    return namespaces.get(name, n -> new CachedNamespace(this, delegate.namespace(n)));
  }

  @Override
  public List<String> namespaceNames() {
    return delegate.namespaceNames();
  }

  @Override
  public MaintenanceState maintenance() {
    return delegate.maintenance();
  }

  @Override
  public void setMaintenance(boolean on, String reason) {
    delegate.setMaintenance(on, reason);
  }

  @Override
  public void close() {
    try {
      delegate.close();
    } finally {
      namespaces.invalidateAll();
      specs.invalidateAll();
      units.invalidateAll();
      workers.invalidateAll();
    }
  }

  // ---------------------------------------------------------------------------------------
  // Handles of the wrapped backend in, cached handles out. "current" means the handle was just
  // returned by the wrapped backend for that name, so a cached handle of the name may adopt it.
  // ---------------------------------------------------------------------------------------

  CachedNamespace namespaceFor(Namespace d) {
    return namespaces.get(d.name(), n -> new CachedNamespace(this, d));
  }

  CachedWorkSpec specFor(WorkSpec d, boolean current) {
    CachedNamespace ns = namespaceFor(d.namespace());
    CachedWorkSpec spec =
        specs.get(new SpecName(ns.name(), d.name()), k -> new CachedWorkSpec(this, ns, d.name(), d));
    if (current) {
      spec.adopt(d);
    }
    return spec;
  }

  CachedWorkUnit unitFor(WorkUnit d, boolean current) {
    CachedWorkSpec spec = specFor(d.workSpec(), false);
    CachedWorkUnit unit =
        units.get(
            new UnitName(spec.namespace().name(), spec.name(), d.key()),
            k -> new CachedWorkUnit(this, spec, d.key(), d));
    if (current) {
      unit.adopt(d);
    }
    return unit;
  }

  CachedWorker workerFor(Worker d, boolean current) {
    CachedNamespace ns = namespaceFor(d.namespace());
    CachedWorker worker =
        workers.get(new WorkerName(ns.name(), d.name()), k -> new CachedWorker(this, ns, d.name(), d));
    if (current) {
      worker.adopt(d);
    }
    return worker;
  }

  Attempt attemptFor(Attempt d) {
    return new CachedAttempt(this, d);
  }

  List<Attempt> attemptsFor(List<Attempt> attempts) {
    return attempts.stream().map(this::attemptFor).toList();
  }

  // ---------------------------------------------------------------------------------------
  // Forgetting: deletes through the cache drop what they deleted, so a lookup by name asks the
  // wrapped backend again and gets its not-found answer.
  // ---------------------------------------------------------------------------------------

  void forgetNamespace(String ns) {
    namespaces.invalidate(ns);
    specs.asMap().keySet().removeIf(k -> k.namespace().equals(ns));
    forgetUnits(k -> k.namespace().equals(ns));
    workers.asMap().keySet().removeIf(k -> k.namespace().equals(ns));
  }

  void forgetSpec(String ns, String spec) {
    specs.invalidate(new SpecName(ns, spec));
    forgetUnitsOf(ns, spec);
  }

  void forgetUnitsOf(String ns, String spec) {
    forgetUnits(k -> k.namespace().equals(ns) && k.spec().equals(spec));
  }

  private void forgetUnits(Predicate<UnitName> which) {
    units.asMap().keySet().removeIf(which);
  }
}
