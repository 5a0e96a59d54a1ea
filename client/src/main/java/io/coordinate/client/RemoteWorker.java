package io.coordinate.client;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import io.coordinate.api.data.DataValues;
import io.coordinate.client.RemoteErrors.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A worker on the daemon, by namespace and name. Every read fetches the worker afresh. */
record RemoteWorker(RemoteNamespace namespace, String name) implements Worker {

  private Transport http() {
    return namespace.http();
  }

  private Target target() {
    return Target.handle(describe());
  }

  private String describe() {
    return "worker " + RemoteErrors.quote(name) + " of namespace "
        + RemoteErrors.quote(namespace.name());
  }

  String path() {
    return Routes.worker(namespace.name(), name);
  }

  private Wire.WorkerView fetch() {
    return http().get(path(), Wire.WorkerView.class, target());
  }

  @Override
  public Optional<Worker> parent() {
    String parent = fetch().parent();
    return parent == null ? Optional.empty() : Optional.of(new RemoteWorker(namespace, parent));
  }

  @Override
  public void setParent(Worker parent) {
    if (parent == null) {
      http().call("DELETE", path() + "/parent", null, Wire.WorkerView.class, target());
      return;
    }
    if (!(parent instanceof RemoteWorker p && p.namespace.sameAs(namespace))) {
      throw new InvalidRequestException(
          "worker " + parent.name() + " belongs to another namespace or backend");
    }
    http().call("PUT", path() + "/parent", Map.of("parent", parent.name()), Wire.WorkerView.class,
        target());
  }

  @Override
  public List<Worker> children() {
    Wire.WorkerList answer = http().get(path() + "/children", Wire.WorkerList.class, target());
    List<Worker> out = new ArrayList<>();
    for (Wire.WorkerView w : Wire.list(answer.workers(), "workers")) {
      out.add(new RemoteWorker(namespace, Wire.require(w.name(), "name")));
    }
    return out;
  }

  @Override
  public boolean isActive() {
    return Wire.require(fetch().active(), "active");
  }

  @Override
  public void deactivate() {
    http().call("POST", path() + "/deactivate", Map.of(), Wire.WorkerView.class, target());
  }

  @Override
  public String mode() {
    String mode = fetch().mode();
    return mode == null ? "" : mode;
  }

  @Override
  public Map<String, Object> data() {
    return fetch().dataMap();
  }

  @Override
  public Instant expiration() {
    return Wire.instant(Wire.require(fetch().expiration(), "expiration"), "expiration");
  }

  @Override
  public Instant lastUpdate() {
    return Wire.instant(Wire.require(fetch().lastUpdate(), "last_update"), "last_update");
  }

  @Override
  public void heartbeat(String mode, Map<String, ?> data, Duration lifetime) {
    if (lifetime == null) {
      throw new InvalidRequestException("worker lifetime must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("mode", mode == null ? "" : mode);
    body.put("data", DataValues.copyOf(data));
    body.put("lifetime", Wire.seconds(lifetime));
    http().call("POST", path() + "/heartbeat", body, Wire.WorkerView.class, target());
  }

  @Override
  public List<Attempt> requestAttempts(AttemptRequest request) {
    if (request == null) {
      throw new InvalidRequestException("attempt request must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("work_units", request.numberOfWorkUnits());
    body.put("lifetime", Wire.seconds(request.lifetime()));
    body.put("available_gb", request.availableGb());
    body.put("work_specs", request.workSpecs());
    body.put("runtimes", request.runtimes());
    if (request.waits()) {
      body.put("wait", Wire.seconds(request.waitUpTo()));
    }
    return attempts(
        http()
            .call("POST", path() + "/work", body, Wire.AttemptList.class, target(), request.waitUpTo()));
  }

  @Override
  public Attempt makeAttempt(WorkUnit unit, Duration lifetime) {
    if (!(unit instanceof RemoteWorkUnit u && u.workSpec().namespace().sameAs(namespace))) {
      throw new InvalidRequestException(
          "work unit " + (unit == null ? null : unit.key())
              + " belongs to another namespace or backend");
    }
    if (lifetime == null) {
      throw new InvalidRequestException("attempt lifetime must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("worker", name);
    body.put("lifetime", Wire.seconds(lifetime));
    Wire.AttemptView view =
        http().call("POST", u.path() + "/attempts", body, Wire.AttemptView.class,
            Target.handle(u.describe() + " or " + describe()));
    return u.attempt(view);
  }

  @Override
  public List<Attempt> activeAttempts() {
    return attempts(http().get(path() + "/active-attempts", Wire.AttemptList.class, target()));
  }

  @Override
  public List<Attempt> allAttempts() {
    return attempts(http().get(path() + "/attempts", Wire.AttemptList.class, target()));
  }

  @Override
  public List<Attempt> childAttempts() {
    return attempts(http().get(path() + "/child-attempts", Wire.AttemptList.class, target()));
  }

  /** Handles of the attempts in an answer; each names its own spec, key and worker. */
  private List<Attempt> attempts(Wire.AttemptList answer) {
    List<Wire.AttemptView> views = Wire.list(answer.attempts(), "attempts");
    List<Attempt> out = new ArrayList<>(views.size());
    for (Wire.AttemptView v : views) {
      RemoteWorkSpec spec = new RemoteWorkSpec(namespace, Wire.require(v.workSpec(), "work_spec"));
      RemoteWorkUnit unit = new RemoteWorkUnit(spec, Wire.key(v.key()));
      RemoteWorker by = v.worker() == null || v.worker().equals(name)
          ? this : new RemoteWorker(namespace, v.worker());
      out.add(new RemoteAttempt(unit, by, Wire.require(v.number(), "number"), v.start()));
    }
    return out;
  }

  @Override
  public String toString() {
    return "RemoteWorker[" + http().base() + ", " + describe() + "]";
  }
}
