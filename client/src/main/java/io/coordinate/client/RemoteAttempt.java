package io.coordinate.client;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.data.DataValues;
import io.coordinate.client.RemoteErrors.Target;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One attempt on the daemon: its unit, its index in the unit's history, and (checked by the daemon
 * on every call) its worker and start time, so a handle never acts on another attempt. Reads fetch
 * the attempt afresh; the start time, fixed at creation, is kept.
 *
 * @param number the 0-based index in {@link io.coordinate.api.WorkUnit#attempts()}
 */
record RemoteAttempt(RemoteWorkUnit workUnit, RemoteWorker worker, int number, Instant startTime)
    implements Attempt {

  private Transport http() {
    return workUnit.http();
  }

  private Target target() {
    return Target.handle(describe());
  }

  private String describe() {
    return "attempt " + number + " (by worker " + RemoteErrors.quote(worker.name())
        + ", started " + startTime + ") at " + workUnit.describe();
  }

  /** {@code A} with the identity check. */
  private String path(String action) {
    return workUnit.path() + "/attempts/" + number + action
        + new Routes.Query().add("worker", worker.name()).add("start_time", startTime);
  }

  private Wire.AttemptView fetch() {
    Wire.AttemptView view = http().get(path(""), Wire.AttemptView.class, target());
    if (!Wire.key(view.key()).equals(workUnit.key())
        || !Integer.valueOf(number).equals(view.number())) {
      throw Wire.malformed("GET " + path("") + " answered another attempt");
    }
    return view;
  }

  @Override
  public AttemptStatus status() {
    return fetch().attemptStatus();
  }

  @Override
  public Map<String, Object> data() {
    return fetch().dataMap();
  }

  @Override
  public Optional<Instant> endTime() {
    return fetch().end();
  }

  @Override
  public Instant expirationTime() {
    return fetch().expiration();
  }

  @Override
  public void renew(Duration extension, Map<String, ?> data) {
    if (extension == null) {
      throw new InvalidRequestException("renew needs an extension");
    }
    Map<String, Object> body = withData(data);
    body.put("extension", Wire.seconds(extension));
    act("/renew", body);
  }

  @Override
  public void expire(Map<String, ?> data) {
    act("/expire", withData(data));
  }

  @Override
  public void finish(Map<String, ?> data) {
    act("/finish", withData(data));
  }

  @Override
  public void fail(Map<String, ?> data) {
    act("/fail", withData(data));
  }

  @Override
  public void retry(Map<String, ?> data, Duration delay) {
    Map<String, Object> body = withData(data);
    if (delay != null) {
      body.put("delay", Wire.seconds(delay));
    }
    act("/retry", body);
  }

  private void act(String action, Map<String, Object> body) {
    http().call("POST", path(action), body, Wire.AttemptView.class, target());
  }

  /** A body with the data, checked here; none when {@code null} (the attempt keeps its own). */
  private static Map<String, Object> withData(Map<String, ?> data) {
    Map<String, Object> body = new LinkedHashMap<>();
    if (data != null) {
      body.put("data", DataValues.copyOf(data));
    }
    return body;
  }

  @Override
  public String toString() {
    return "RemoteAttempt[" + http().base() + ", " + describe() + "]";
  }
}
