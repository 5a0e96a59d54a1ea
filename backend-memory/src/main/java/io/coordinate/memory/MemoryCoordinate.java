package io.coordinate.memory;

import io.coordinate.api.Coordinate;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.Namespace;
import io.coordinate.api.UnitEvents;
import io.coordinate.api.scheduling.LongPoll;
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
  private final UnitEvents events;
  private final LongPoll longPoll;
  private final boolean ownsLongPoll;
  private final ConcurrentMap<String, NamespaceStore> namespaces = new ConcurrentHashMap<>();
  private volatile MaintenanceState maintenance = MaintenanceState.OFF;

  private MemoryCoordinate(Clock clock, UnitEvents events, LongPoll longPoll) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ownsLongPoll = longPoll == null;
    this.longPoll = ownsLongPoll ? new LongPoll() : longPoll;
    this.events = Objects.requireNonNull(events, "events").andThen(this.longPoll);
  }

  /** A backend on the system clock. */
  public static MemoryCoordinate create() {
    return new MemoryCoordinate(Clock.systemUTC(), UnitEvents.NONE, null);
  }

  /** A backend that takes its time from {@code clock} (tests pass a controllable one). */
  public static MemoryCoordinate create(Clock clock) {
    return new MemoryCoordinate(clock, UnitEvents.NONE, null);
  }

  /**
   * A backend on {@code clock} that tells {@code events} of every lease, result and expiry (see
   * {@link UnitEvents} for what counts); it is called while a namespace's lock is held.
   */
  public static MemoryCoordinate create(Clock clock, UnitEvents events) {
    return new MemoryCoordinate(clock, events, null);
  }

  /**
   * A backend whose requests that wait for work wait in {@code longPoll}, which its owner closes (a
   * daemon closes it first when it stops, so waiting requests answer at once).
   */
  public static MemoryCoordinate create(Clock clock, UnitEvents events, LongPoll longPoll) {
    return new MemoryCoordinate(clock, events, Objects.requireNonNull(longPoll, "longPoll"));
  }

  /** Where this backend's requests wait for work. */
  LongPoll longPoll() {
    return longPoll;
  }

  @Override
  public Namespace namespace(String name) {
    if (name == null) {
      throw new InvalidRequestException("namespace name must not be null");
    }
    return namespaces
        .computeIfAbsent(name, n -> new NamespaceStore(n, clock, events, this))
        .handle();
  }

  @Override
  public List<String> namespaceNames() {
    return namespaces.keySet().stream().sorted().toList();
  }

  @Override
  public MaintenanceState maintenance() {
    return maintenance;
  }

  @Override
  public void setMaintenance(boolean on, String reason) {
    maintenance = new MaintenanceState(on, on && reason != null ? reason : "", clock.instant());
  }

  /** Forgets a destroyed namespace, unless a new one of the same name replaced it already. */
  void forget(NamespaceStore store) {
    namespaces.remove(store.name(), store);
  }

  @Override
  public void close() {
    // The state is garbage once unreferenced; only waiting requests need to be let go.
    if (ownsLongPoll) {
      longPoll.close();
    }
  }
}
