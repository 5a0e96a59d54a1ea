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

  /** Releases the storage; handles obtained from this backend stop working. */
  @Override
  void close();
}
