package io.coordinate.memory;

import io.coordinate.api.Attempt;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

final class MemWorkUnit implements WorkUnit {
  private final NamespaceStore store;
  private final UnitState state;

  MemWorkUnit(NamespaceStore store, UnitState state) {
    this.store = store;
    this.state = state;
  }

  NamespaceStore store() {
    return store;
  }

  UnitState state() {
    return state;
  }

  @Override
  public WorkSpec workSpec() {
    return store.wrap(state.spec);
  }

  @Override
  public WorkUnitKey key() {
    return state.key;
  }

  @Override
  public Map<String, Object> data() {
    return store.data(state);
  }

  @Override
  public WorkUnitStatus status() {
    return store.status(state);
  }

  @Override
  public WorkUnitMeta meta() {
    return store.meta(state);
  }

  @Override
  public void setMeta(WorkUnitMeta meta) {
    store.setMeta(state, Objects.requireNonNull(meta, "meta"));
  }

  @Override
  public void setPriority(double priority) {
    store.setPriority(state, priority);
  }

  @Override
  public Optional<Attempt> activeAttempt() {
    return store.activeAttempt(state).map(store::wrap);
  }

  @Override
  public void clearActiveAttempt() {
    store.clearActiveAttempt(state);
  }

  @Override
  public List<Attempt> attempts() {
    return store.wrapAttempts(store.attempts(state));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemWorkUnit other && other.state == state;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(state);
  }

  @Override
  public String toString() {
    return "WorkUnit[" + state.spec.name + "/" + state.key + "]";
  }
}
