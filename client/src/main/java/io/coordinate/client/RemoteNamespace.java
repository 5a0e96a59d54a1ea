package io.coordinate.client;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.Locks;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkerException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecDefinition;
import io.coordinate.api.Worker;
import io.coordinate.client.RemoteErrors.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A namespace on the daemon, by name. Equal to another handle of the same name on one client. */
record RemoteNamespace(Transport http, String name) implements Namespace {

  /** Most workers one page of {@code GET P/workers} holds. */
  static final int WORKER_PAGE = 1000;

  Target target() {
    return Target.handle("namespace " + RemoteErrors.quote(name));
  }

  String path() {
    return Routes.namespace(name);
  }

  @Override
  public void destroy() {
    http.call("DELETE", path(), null, Wire.Named.class, target());
  }

  @Override
  public WorkSpec setWorkSpec(Map<String, ?> definition) {
    // Checked here first, so a malformed definition is refused exactly as a backend would.
    WorkSpecDefinition parsed = WorkSpecDefinition.parse(definition);
    Wire.Named created =
        http.call("POST", path() + "/work-specs", parsed.map(), Wire.Named.class, target());
    return new RemoteWorkSpec(this, Wire.require(created.name(), "name"));
  }

  @Override
  public WorkSpec workSpec(String name) {
    requireName(name, "work spec");
    RemoteWorkSpec spec = new RemoteWorkSpec(this, name);
    http.get(spec.path() + "/meta", Wire.MetaView.class, Target.workSpecLookup(this.name, name));
    return spec;
  }

  @Override
  public void destroyWorkSpec(String name) {
    requireName(name, "work spec");
    http.call("DELETE", Routes.workSpec(this.name, name), null, Wire.Named.class,
        Target.workSpecLookup(this.name, name));
  }

  @Override
  public List<String> workSpecNames() {
    return Wire.list(
        http.get(path() + "/work-specs", Wire.WorkSpecList.class, target()).workSpecs(),
        "work_specs");
  }

  @Override
  public Worker worker(String name) {
    requireName(name, "worker");
    RemoteWorker worker = new RemoteWorker(this, name);
    http.call("PUT", worker.path(), null, Wire.WorkerView.class, target());
    return worker;
  }

  @Override
  public List<Worker> workers() {
    List<Worker> out = new ArrayList<>();
    String after = null;
    do {
      Routes.Query query = new Routes.Query().add("after", after).add("limit", WORKER_PAGE);
      Wire.WorkerList page =
          http.get(path() + "/workers" + query, Wire.WorkerList.class, target());
      for (Wire.WorkerView w : Wire.list(page.workers(), "workers")) {
        out.add(new RemoteWorker(this, Wire.require(w.name(), "name")));
      }
      after = page.nextAfter();
    } while (after != null);
    return out;
  }

  @Override
  public Locks locks() {
    return new RemoteLocks(this);
  }

  @Override
  public Optional<Worker> findWorker(String name) {
    requireName(name, "worker");
    RemoteWorker worker = new RemoteWorker(this, name);
    try {
      http.get(worker.path(), Wire.WorkerView.class, Target.workerLookup(this.name, name));
      return Optional.of(worker);
    } catch (NoSuchWorkerException e) {
      return Optional.empty();
    }
  }

  /** True for a handle of the same namespace on the same daemon (through any client). */
  boolean sameAs(RemoteNamespace other) {
    return name.equals(other.name) && http.base().equals(other.http.base());
  }

  static void requireName(String name, String what) {
    if (name == null) {
      throw new InvalidRequestException(what + " name must not be null");
    }
  }

  @Override
  public String toString() {
    return "RemoteNamespace[" + http.base() + ", " + RemoteErrors.quote(name) + "]";
  }
}
