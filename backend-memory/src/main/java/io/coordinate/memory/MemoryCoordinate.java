package io.coordinate.memory;

import io.coordinate.api.Coordinate;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Namespace;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The in-process Coordinate backend: fast, thread-safe, nothing persisted. See the package
 * documentation for its locking and indexing.
 */
public final class MemoryCoordinate implements Coordinate {
  private final Clock clock;
  private final ConcurrentMap<String, NamespaceStore> namespaces = new ConcurrentHashMap<>();

  private MemoryCoordinate(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A backend on the system clock. */
  public static MemoryCoordinate create() {
    return new MemoryCoordinate(Clock.systemUTC());
  }

  /** A backend that takes its time from {@code clock} (tests pass a controllable one). */
  public static MemoryCoordinate create(Clock clock) {
    return new MemoryCoordinate(clock);
  }

  @Override
  public Namespace namespace(String name) {
    if (name == null) {
      throw new InvalidRequestException("namespace name must not be null");
    }
    return namespaces.computeIfAbsent(name, n -> new NamespaceStore(n, clock, this)).handle();
  }

  @Override
  public List<String> namespaceNames() {
    return namespaces.keySet().stream().sorted().toList();
  }

  /** Forgets a destroyed namespace, unless a new one of the same name replaced it already. */
  void forget(NamespaceStore store) {
    namespaces.remove(store.name(), store);
  }

  @Override
  public void close() {
    // Nothing to release: the state is garbage once unreferenced.
  }
}
