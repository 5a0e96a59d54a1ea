package io.coordinate.cache;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import io.coordinate.cache.CachingCoordinate.WorkerName;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class CachedWorker extends Named<Worker> implements Worker {
  private final CachingCoordinate cache;
  private final CachedNamespace namespace;
  private final String name;

  CachedWorker(CachingCoordinate cache, CachedNamespace namespace, String name, Worker delegate) {
    super(delegate);
    this.cache = cache;
    this.namespace = namespace;
    this.name = name;
  }

  @Override
  Optional<Worker> lookUp() {
    // Not Namespace.worker(name), which would create the worker again.
    return namespace.call(n -> n.findWorker(name));
  }

  @Override
  void forget() {
    cache.workers.asMap().remove(new WorkerName(namespace.name(), name), this);
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
  public Optional<Worker> parent() {
    return call(Worker::parent).map(w -> cache.workerFor(w, true));
  }

  @Override
  public void setParent(Worker parent) {
    if (parent instanceof CachedWorker p) {
      p.run(pw -> run(w -> w.setParent(pw)));
    } else {
      run(w -> w.setParent(parent));
    }
  }

  @Override
  public List<Worker> children() {
    return call(Worker::children).stream().map(w -> (Worker) cache.workerFor(w, true)).toList();
  }

  @Override
  public boolean isActive() {
    return call(Worker::isActive);
  }

  @Override
  public void deactivate() {
    run(Worker::deactivate);
  }

  @Override
  public String mode() {
    return call(Worker::mode);
  }

  @Override
  public Map<String, Object> data() {
    return call(Worker::data);
  }

  @Override
  public Instant expiration() {
    return call(Worker::expiration);
  }

  @Override
  public Instant lastUpdate() {
    return call(Worker::lastUpdate);
  }

  @Override
  public void heartbeat(String mode, Map<String, ?> data, Duration lifetime) {
    run(w -> w.heartbeat(mode, data, lifetime));
  }

  /** Scheduling is never cached: every request goes to the wrapped backend. */
  @Override
  public List<Attempt> requestAttempts(AttemptRequest request) {
    return cache.attemptsFor(call(w -> w.requestAttempts(request)));
  }

  @Override
  public Attempt makeAttempt(WorkUnit unit, Duration lifetime) {
    Attempt made =
        unit instanceof CachedWorkUnit u
            ? u.call(wrapped -> call(w -> w.makeAttempt(wrapped, lifetime)))
            : call(w -> w.makeAttempt(unit, lifetime));
    return cache.attemptFor(made);
  }

  @Override
  public List<Attempt> activeAttempts() {
    return cache.attemptsFor(call(Worker::activeAttempts));
  }

  @Override
  public List<Attempt> allAttempts() {
    return cache.attemptsFor(call(Worker::allAttempts));
  }

  @Override
  public List<Attempt> childAttempts() {
    return cache.attemptsFor(call(Worker::childAttempts));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedWorker other
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
    return "Worker[" + namespace.name() + "/" + name + "]";
  }
}
