package io.coordinate.memory;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

final class MemAttempt implements Attempt {
  private final NamespaceStore store;
  private final AttemptState state;

  MemAttempt(NamespaceStore store, AttemptState state) {
    this.store = store;
    this.state = state;
  }

  @Override
  public WorkUnit workUnit() {
    return store.wrap(state.unit);
  }

  @Override
  public Worker worker() {
    return store.wrap(state.worker);
  }

  @Override
  public AttemptStatus status() {
    return store.readAttempt(state, a -> a.status);
  }

  @Override
  public Map<String, Object> data() {
    return store.readAttempt(state, AttemptState::effectiveData);
  }

  @Override
  public Instant startTime() {
    return store.readAttempt(state, a -> a.start);
  }

  @Override
  public Optional<Instant> endTime() {
    return store.readAttempt(state, a -> Optional.ofNullable(a.end));
  }

  @Override
  public Instant expirationTime() {
    return store.readAttempt(state, a -> a.expiration);
  }

  @Override
  public void renew(Duration extension, Map<String, ?> data) {
    store.renew(state, Objects.requireNonNull(extension, "extension"), data);
  }

  @Override
  public void expire(Map<String, ?> data) {
    store.expire(state, data);
  }

  @Override
  public void finish(Map<String, ?> data) {
    store.finish(state, data);
  }

  @Override
  public void fail(Map<String, ?> data) {
    store.fail(state, data);
  }

  @Override
  public void retry(Map<String, ?> data, Duration delay) {
    store.retry(state, data, delay);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MemAttempt other && other.state == state;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(state);
  }

  @Override
  public String toString() {
    return "Attempt[" + state.unit.spec.name + "/" + state.unit.key + " by " + state.worker.name + "]";
  }
}
