package io.coordinate.cache;

import io.coordinate.api.Locks;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.cache.CachingCoordinate.SpecName;
import io.coordinate.cache.CachingCoordinate.WorkerName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class CachedNamespace extends Named<Namespace> implements Namespace {
  private final CachingCoordinate cache;
  private final String name;
  private final CachedLocks locks = new CachedLocks(this);

  CachedNamespace(CachingCoordinate cache, Namespace delegate) {
    super(delegate);
    this.cache = cache;
    this.name = delegate.name();
  }

  @Override
  Optional<Namespace> lookUp() {
    // Not Coordinate.namespace(name), which would create the namespace again.
    return cache.delegate().namespaceNames().contains(name)
        ? Optional.of(cache.delegate().namespace(name))
        : Optional.empty();
  }

  @Override
  void forget() {
    cache.namespaces.asMap().remove(name, this);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void destroy() {
    try {
      run(Namespace::destroy);
    } finally {
      cache.forgetNamespace(name);
    }
  }

  @Override
  public WorkSpec setWorkSpec(Map<String, ?> definition) {
    return cache.specFor(call(n -> n.setWorkSpec(definition)), true);
  }

  @Override
  public WorkSpec workSpec(String specName) {
    if (specName == null) {
      return call(n -> n.workSpec(null)); // the wrapped backend's error
    }
    return cache.specs.get(
        new SpecName(name, specName),
        k -> new CachedWorkSpec(cache, this, specName, call(n -> n.workSpec(specName))));
  }

  @Override
  public void destroyWorkSpec(String specName) {
    try {
      run(n -> n.destroyWorkSpec(specName));
    } finally {
      if (specName != null) {
        cache.forgetSpec(name, specName);
      }
    }
  }

  @Override
  public List<String> workSpecNames() {
    return call(Namespace::workSpecNames);
  }

  @Override
  public Worker worker(String workerName) {
    if (workerName == null) {
      return call(n -> n.worker(null)); // the wrapped backend's error
    }
    return cache.workers.get(
        new WorkerName(name, workerName),
        k -> new CachedWorker(cache, this, workerName, call(n -> n.worker(workerName))));
  }

  @Override
  public List<Worker> workers() {
    return call(Namespace::workers).stream()
        .map(w -> (Worker) cache.workerFor(w, true))
        .toList();
  }

  @Override
  public Locks locks() {
    return locks;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedNamespace other && other.cache == cache && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return name.hashCode();
  }

  @Override
  public String toString() {
    return "Namespace[" + name + "]";
  }
}
