package io.coordinate.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An isolated set of work specs and workers. A handle stays valid until the namespace is destroyed;
 * then every call on it, or on objects obtained through it, raises {@link GoneException}.
 */
public interface Namespace {

  /** The namespace's name (may be ""). */
  String name();

  /** Deletes the namespace with all its work specs, units, workers and attempts. */
  void destroy();

  /**
   * Creates a work spec, or changes the definition of the one with the same name. Changing a
   * definition resets the meta to the definition's defaults, except the next-continuous time.
   *
   * @throws InvalidWorkSpecException if the definition is malformed (nothing is changed)
   */
  WorkSpec setWorkSpec(Map<String, ?> definition);

  /**
   * The work spec with this name.
   *
   * @throws NoSuchWorkSpecException if there is none
   */
  WorkSpec workSpec(String name);

  /**
   * Deletes a work spec with all its units and their attempts (they vanish from workers' lists).
   *
   * @throws NoSuchWorkSpecException if there is none
   */
  void destroyWorkSpec(String name);

  /** Names of all work specs, sorted. */
  List<String> workSpecNames();

  /** The worker with this name, created (active, no parent) if it does not exist. */
  Worker worker(String name);

  /** All workers, active or not, sorted by name. */
  List<Worker> workers();

  /**
   * The namespace's hierarchical advisory locks (see {@link Locks}): shared by every handle of the
   * namespace and every process on the same store, dropped when the namespace is destroyed. Locks
   * are state, never cached.
   */
  Locks locks();

  /**
   * The worker with this name if it exists; unlike {@link #worker(String)} this never creates one.
   * The default looks through {@link #workers()}; backends answer it directly.
   */
  default Optional<Worker> findWorker(String name) {
    return workers().stream().filter(w -> w.name().equals(name)).findFirst();
  }
}
