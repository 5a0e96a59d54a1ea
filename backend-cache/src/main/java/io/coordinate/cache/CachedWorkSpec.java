package io.coordinate.cache;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitSnapshot;
import io.coordinate.cache.CachingCoordinate.SpecName;
import io.coordinate.cache.CachingCoordinate.UnitName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class CachedWorkSpec extends Named<WorkSpec> implements WorkSpec {
  private final CachingCoordinate cache;
  private final CachedNamespace namespace;
  private final String name;

  CachedWorkSpec(CachingCoordinate cache, CachedNamespace namespace, String name, WorkSpec delegate) {
    super(delegate);
    this.cache = cache;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  Optional<WorkSpec> lookUp() {
    try {
      return Optional.of(namespace.call(n -> n.workSpec(name)));
    } catch (NoSuchWorkSpecException e) {
      return Optional.empty();
    }
  }

  @Override
  void forget() {
    cache.specs.asMap().remove(new SpecName(namespace.name(), name), this);
  }

  @Override
  public CachedNamespace namespace() {
    return namespace;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public WorkSpecDefinition definition() {
    return call(WorkSpec::definition);
  }

  @Override
  public void setDefinition(Map<String, ?> definition) {
    run(s -> s.setDefinition(definition));
  }

  @Override
  public WorkSpecMeta meta(boolean withCounts) {
    return call(s -> s.meta(withCounts));
  }

  @Override
  public void setMeta(WorkSpecMeta meta) {
    run(s -> s.setMeta(meta));
  }

  @Override
  public WorkUnit addWorkUnit(WorkUnitKey key, Map<String, ?> data, WorkUnitMeta meta) {
    return cache.unitFor(call(s -> s.addWorkUnit(key, data, meta)), true);
  }

  @Override
  public void addWorkUnits(List<NewWorkUnit> units) {
    run(s -> s.addWorkUnits(units));
  }

  @Override
  public WorkUnit workUnit(WorkUnitKey key) {
    if (key == null) {
      return call(s -> s.workUnit(null)); // the wrapped backend's error
    }
    return cache.units.get(
        new UnitName(namespace.name(), name, key),
        k -> new CachedWorkUnit(cache, this, key, call(s -> s.workUnit(key))));
  }

  @Override
  public List<WorkUnit> workUnits(WorkUnitQuery query) {
    return call(s -> s.workUnits(query)).stream()
        .map(u -> (WorkUnit) cache.unitFor(u, true))
        .toList();
  }

  @Override
  public WorkUnitCounts countWorkUnitStatus() {
    return call(WorkSpec::countWorkUnitStatus);
  }

  @Override
  public int setWorkUnitPriorities(WorkUnitQuery query, double priority) {
    return call(s -> s.setWorkUnitPriorities(query, priority));
  }

  @Override
  public int adjustWorkUnitPriorities(WorkUnitQuery query, double adjustment) {
    return call(s -> s.adjustWorkUnitPriorities(query, adjustment));
  }

  @Override
  public int deleteWorkUnits(WorkUnitQuery query) {
    try {
      return call(s -> s.deleteWorkUnits(query));
    } finally {
      cache.forgetUnitsOf(namespace.name(), name);
    }
  }

  @Override
  public int archive(int maxUnits) {
    int archived = call(s -> s.archive(maxUnits));
    if (archived > 0) {
      // Which units went is not told, so the spec's cached unit handles all go: a look-up finds
      // the survivors again, and a deleted unit's name no longer leads to its old handle.
      cache.forgetUnitsOf(namespace.name(), name);
    }
    return archived;
  }

  @Override
  public List<WorkUnitSnapshot> workUnitSnapshots(WorkUnitQuery query) {
    return call(s -> s.workUnitSnapshots(query));
  }

  @Override
  public void restoreWorkUnits(List<WorkUnitSnapshot> units) {
    run(s -> s.restoreWorkUnits(units));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedWorkSpec other
        && other.cache == cache
        && other.namespace.name().equals(namespace.name())
        && other.name.equals(name);
  }

  @Override
  public int hashCode() {
    return 31 * namespace.name().hashCode() + name.hashCode();
  }

  @Override
  public String toString() {
    return "WorkSpec[" + namespace.name() + "/" + name + "]";
  }
}
