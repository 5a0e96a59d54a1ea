package io.coordinate.cache;

import io.coordinate.api.Attempt;
import io.coordinate.api.NoSuchWorkUnitException;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.cache.CachingCoordinate.UnitName;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class CachedWorkUnit extends Named<WorkUnit> implements WorkUnit {
  private final CachingCoordinate cache;
  private final CachedWorkSpec spec;
  private final WorkUnitKey key;

  CachedWorkUnit(CachingCoordinate cache, CachedWorkSpec spec, WorkUnitKey key, WorkUnit delegate) {
    super(delegate);
    this.cache = cache;
    this.spec = spec;
    this.key = key;
  }

  @Override
  Optional<WorkUnit> lookUp() {
    try {
      return Optional.of(spec.call(s -> s.workUnit(key)));
    } catch (NoSuchWorkUnitException e) {
      return Optional.empty();
    }
  }

  @Override
  void forget() {
    cache.units.asMap().remove(new UnitName(spec.namespace().name(), spec.name(), key), this);
  }

  @Override
  public CachedWorkSpec workSpec() {
    return spec;
  }

  @Override
  public WorkUnitKey key() {
    return key;
  }

  @Override
  public Map<String, Object> data() {
    return call(WorkUnit::data);
  }

  @Override
  public WorkUnitStatus status() {
    return call(WorkUnit::status);
  }

  @Override
  public WorkUnitMeta meta() {
    return call(WorkUnit::meta);
  }

  @Override
  public void setMeta(WorkUnitMeta meta) {
    run(u -> u.setMeta(meta));
  }

  @Override
  public void setPriority(double priority) {
    run(u -> u.setPriority(priority));
  }

  @Override
  public Optional<Attempt> activeAttempt() {
    return call(WorkUnit::activeAttempt).map(cache::attemptFor);
  }

  @Override
  public void clearActiveAttempt() {
    run(WorkUnit::clearActiveAttempt);
  }

  @Override
  public List<Attempt> attempts() {
    return cache.attemptsFor(call(WorkUnit::attempts));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedWorkUnit other && other.spec.equals(spec) && other.key.equals(key);
  }

  @Override
  public int hashCode() {
    return 31 * spec.hashCode() + key.hashCode();
  }

  @Override
  public String toString() {
    return "WorkUnit[" + spec.namespace().name() + "/" + spec.name() + "/" + key + "]";
  }
}
