package io.coordinate.client;

import io.coordinate.api.Attempt;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.client.RemoteErrors.Target;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A work unit on the daemon, by spec and key. Every read fetches the unit afresh, so status, data
 * and meta are always current: status and meta from the listing filtered by this key (the light
 * summary), data and attempts from {@code GET U} (the unit in full).
 */
record RemoteWorkUnit(RemoteWorkSpec workSpec, WorkUnitKey key) implements WorkUnit {

  Transport http() {
    return workSpec.http();
  }

  Target target() {
    return Target.handle(describe());
  }

  String describe() {
    return "work unit " + key + " of " + workSpec.describe();
  }

  String path() {
    return Routes.workUnit(workSpec.namespace().name(), workSpec.name(), key);
  }

  private Wire.UnitDetail fetch() {
    Wire.UnitDetail detail = http().get(path(), Wire.UnitDetail.class, target());
    if (!Wire.key(detail.key()).equals(key)) {
      throw Wire.malformed("GET " + path() + " answered another unit: " + detail.key());
    }
    return detail;
  }

  /** The unit's row of the listing; {@code target} says what its absence means. */
  Wire.UnitSummary summary(Target target) {
    Routes.Query query = new Routes.Query().add("key", key.toBase64Url()).add("limit", 1);
    Wire.UnitPage page =
        http().get(workSpec.path() + "/work-units" + query, Wire.UnitPage.class, target);
    List<Wire.UnitSummary> rows = Wire.list(page.workUnits(), "work_units");
    if (rows.isEmpty()) {
      throw target.notFound();
    }
    return rows.get(0);
  }

  @Override
  public Map<String, Object> data() {
    return fetch().dataMap();
  }

  @Override
  public WorkUnitStatus status() {
    return summary(target()).unitStatus();
  }

  @Override
  public WorkUnitMeta meta() {
    return summary(target()).meta();
  }

  @Override
  public void setMeta(WorkUnitMeta meta) {
    if (meta == null) {
      throw new InvalidRequestException("work unit meta must not be null");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("priority", meta.priority());
    if (meta.notBefore() != null) {
      body.put("not_before", meta.notBefore().toString());
    }
    http().call("PUT", path() + "/meta", body, Wire.UnitSummary.class, target());
  }

  @Override
  public void setPriority(double priority) {
    if (Double.isNaN(priority)) {
      throw new InvalidRequestException("work unit priority must be a number, not NaN");
    }
    http().call("PATCH", path() + "/meta", Map.of("priority", priority), Wire.UnitSummary.class,
        target());
  }

  @Override
  public Optional<Attempt> activeAttempt() {
    Wire.AttemptView view = fetch().activeAttempt();
    return view == null ? Optional.empty() : Optional.of(attempt(view));
  }

  @Override
  public void clearActiveAttempt() {
    http().call("DELETE", path() + "/active-attempt", null, Wire.UnitSummary.class, target());
  }

  @Override
  public List<Attempt> attempts() {
    List<Wire.AttemptView> views = Wire.list(fetch().attempts(), "attempts");
    List<Attempt> out = new ArrayList<>(views.size());
    for (Wire.AttemptView v : views) {
      out.add(attempt(v));
    }
    return out;
  }

  /** The handle of one of this unit's attempts. */
  RemoteAttempt attempt(Wire.AttemptView view) {
    RemoteWorker worker =
        new RemoteWorker(workSpec.namespace(), Wire.require(view.worker(), "worker"));
    return new RemoteAttempt(this, worker, Wire.require(view.number(), "number"), view.start());
  }

  @Override
  public String toString() {
    return "RemoteWorkUnit[" + http().base() + ", " + describe() + "]";
  }
}
