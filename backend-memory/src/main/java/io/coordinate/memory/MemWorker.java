package io.coordinate.memory;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

final class MemWorker implements Worker {
  private final NamespaceStore store;
  private final WorkerState state;

  MemWorker(NamespaceStore store, WorkerState state) {
    this.store = store;
    this.state = state;
  }

  NamespaceStore store() {
    return store;
  }

  WorkerState state() {
    return state;
  }

  @Override
  public Namespace namespace() {
    return store.handle();
  }

  @Override
  public String name() {
    return state.name;
  }

  @Override
  public Optional<Worker> parent() {
    return Optional.ofNullable(store.readWorker(state, w -> w.parent)).map(store::wrap);
  }

  @Override
  public void setParent(Worker parent) {
    store.setParent(state, parent == null ? null : store.unwrap(parent));
  }

  @Override
  public List<Worker> children() {
    return store.readWorker(state, w -> List.copyOf(w.children.values())).stream()
        .<Worker>map(store::wrap)
        .toList();
  }

  @Override
  public boolean isActive() {
    return store.isActive(state);
  }

  @Override
  public void deactivate() {
    store.deactivate(state);
  }

  @Override
  public String mode() {
    return store.readWorker(state, w -> w.mode);
  }

  @Override
  public Map<String, Object> data() {
    return store.readWorker(state, w -> w.data);
  }

  @Override
  public Instant expiration() {
    return store.readWorker(state, w -> w.expiration);
  }

  @Override
  public Instant lastUpdate() {
    return store.readWorker(state, w -> w.lastUpdate);
  }

  @Override
  public void heartbeat(String mode, Map<String, ?> data, Duration lifetime) {
    store.heartbeat(state, mode, data, lifetime);
  }

  @Override
  public List<Attempt> requestAttempts(AttemptRequest request) {
    Objects.requireNonNull(request, "request");
    return store.longPoll()
        .request(
            store.name(),
            request,
            () -> store.wrapAttempts(store.requestAttempts(state, request)));
  }

  @Override
  public Attempt makeAttempt(WorkUnit unit, Duration lifetime) {
    return store.wrap(store.makeAttempt(state, store.unwrap(unit), lifetime));
  }

  @Override
  public List<Attempt> activeAttempts() {
    return store.wrapAttempts(store.readWorker(state, w -> List.copyOf(w.activeAttempts)));
  }

  @Override
  public List<Attempt> allAttempts() {
    return store.wrapAttempts(store.readWorker(state, w -> List.copyOf(w.allAttempts)));
  }

  @Override
  public List<Attempt> childAttempts() {
    return store.wrapAttempts(store.childAttempts(state));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemWorker other && other.state == state;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(state);
  }

  @Override
  public String toString() {
    return "Worker[" + state.name + "]";
  }
}
