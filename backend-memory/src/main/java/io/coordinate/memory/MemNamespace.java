package io.coordinate.memory;

import io.coordinate.api.Locks;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import io.coordinate.api.locks.MemoryLocks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

final class MemNamespace implements Namespace {
  private final NamespaceStore store;
  /** Only used inside {@link NamespaceStore#call}, whose time of the call it takes. */
  private final MemoryLocks lockTree;
  private final Locks locks;

  MemNamespace(NamespaceStore store) {
    this.store = store;
    this.lockTree = new MemoryLocks(store::now);
    this.locks = new NamespaceLocks();
  }

  @Override
  public String name() {
    return store.name();
  }

  @Override
  public void destroy() {
    store.destroy();
  }

  @Override
  public WorkSpec setWorkSpec(Map<String, ?> definition) {
    return store.wrap(store.setWorkSpec(definition));
  }

  @Override
  public WorkSpec workSpec(String name) {
    return store.wrap(store.workSpec(name));
  }

  @Override
  public void destroyWorkSpec(String name) {
    store.destroyWorkSpec(name);
  }

  @Override
  public List<String> workSpecNames() {
    return store.workSpecNames();
  }

  @Override
  public Worker worker(String name) {
    return store.wrap(store.worker(name));
  }

  @Override
  public List<Worker> workers() {
    return store.workers().stream().<Worker>map(store::wrap).toList();
  }

  @Override
  public Optional<Worker> findWorker(String name) {
    return store.findWorker(name).map(store::wrap);
  }

  @Override
  public Locks locks() {
    return locks;
  }

  /**
   * The lock tree, each call under the namespace's lock: a destroyed namespace's locks are gone
   * with it (the call raises, as every call on the namespace does), and a lock taken at the time of
   * the call never sees the clock step back.
   */
  private final class NamespaceLocks implements Locks {
    @Override
    public OptionalInt lockAll(String owner, Duration timeout, List<? extends List<?>> paths) {
      return store.call(() -> lockTree.lockAll(owner, timeout, paths));
    }

    @Override
    public boolean[] lockSome(String owner, Duration timeout, List<? extends List<?>> paths) {
      return store.call(() -> lockTree.lockSome(owner, timeout, paths));
    }

    @Override
    public Optional<Refusal> renewAll(
        String owner, Duration timeout, List<? extends List<?>> paths) {
      return store.call(() -> lockTree.renewAll(owner, timeout, paths));
    }

    @Override
    public List<String> owners(List<? extends List<?>> paths) {
      return store.call(() -> lockTree.owners(paths));
    }

    @Override
    public Optional<Refusal> unlockAll(String owner, List<? extends List<?>> paths) {
      return store.call(() -> lockTree.unlockAll(owner, paths));
    }

    @Override
    public void deleteTree(Object top) {
      store.run(() -> lockTree.deleteTree(top));
    }

    @Override
    public String toString() {
      return "Locks[" + store.name() + "]";
    }
  }

  @Override
  public String toString() {
    return "Namespace[" + store.name() + "]";
  }
}
