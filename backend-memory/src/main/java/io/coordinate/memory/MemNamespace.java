package io.coordinate.memory;

import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.Worker;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class MemNamespace implements Namespace {
  private final NamespaceStore store;

  MemNamespace(NamespaceStore store) {
    this.store = store;
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
  public String toString() {
    return "Namespace[" + store.name() + "]";
  }
}
