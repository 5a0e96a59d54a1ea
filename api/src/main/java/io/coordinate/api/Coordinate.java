package io.coordinate.api;

import java.util.List;

/**
 * The entry point of a backend: a set of namespaces. Implementations are thread-safe. Close it to
 * release its storage.
 */
public interface Coordinate extends AutoCloseable {

  /** The namespace with this name, created empty if it does not exist. "" is the default name. */
  Namespace namespace(String name);

  /** The names of all namespaces, sorted. */
  List<String> namespaceNames();

  /** The store's maintenance mode, as any process sharing the store last set it. */
  MaintenanceState maintenance();

  /**
   * Turns maintenance mode on or off for every process sharing the store, recording the reason
   * (ignored when turning it off) and the time.
   */
  void setMaintenance(boolean on, String reason);

  /** Releases the storage; handles obtained from this backend stop working. */
  @Override
  void close();
}
