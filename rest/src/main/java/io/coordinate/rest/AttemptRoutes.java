package io.coordinate.rest;

import static io.coordinate.rest.Requests.allowOnly;
import static io.coordinate.rest.Requests.finite;
import static io.coordinate.rest.Requests.instant;
import static io.coordinate.rest.Requests.required;
import static io.coordinate.rest.Requests.seconds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Attempt;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.Worker;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The handlers of one work unit's meta and attempts ({@code .../work-units/{key}/...}); {@link
 * AdminRoutes#routes()} lists them.
 *
 * <p>An attempt is addressed by its index {@code n} among its unit's attempts, oldest first. The
 * optional query parameters {@code worker} and {@code start_time} guard against a stale address:
 * when given and the attempt at {@code n} is not that worker's, did not start then, or does not
 * exist, the answer is 404 {@code gone} and nothing changes.
 */
final class AttemptRoutes {
  /** The identity check of every attempt route. */
  private static final Set<String> IDENTITY = Set.of("worker", "start_time");

  private final Lookup lookup;
  private final ObjectMapper mapper;

  AttemptRoutes(Lookup lookup, ObjectMapper mapper) {
    this.lookup = lookup;
    this.mapper = mapper;
  }

  // --- The unit ---

  void setUnitMeta(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.UnitMetaBody body = Json.readObject(mapper, ctx.body(), Views.UnitMetaBody.class);
    double priority = finite(required(body.priority(), "priority"), "priority");
    Instant notBefore =
        body.notBefore() == null ? null : instant(body.notBefore(), "not_before");
    WorkUnit unit = lookup.unit(ctx);
    unit.setMeta(new WorkUnitMeta(priority, notBefore));
    ctx.json(Views.WorkUnitSummary.of(unit));
  }

  void setUnitPriority(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.UnitPriorityBody body =
        Json.readObject(mapper, ctx.body(), Views.UnitPriorityBody.class);
    double priority = finite(required(body.priority(), "priority"), "priority");
    WorkUnit unit = lookup.unit(ctx);
    unit.setPriority(priority);
    ctx.json(Views.WorkUnitSummary.of(unit));
  }

  void clearActiveAttempt(Context ctx) {
    allowOnly(ctx, Set.of());
    WorkUnit unit = lookup.unit(ctx);
    unit.clearActiveAttempt();
    ctx.json(Views.WorkUnitSummary.of(unit));
  }

  /** A new pending attempt by a named (existing) worker, made the unit's active attempt. */
  void makeAttempt(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.MakeAttemptBody body = Json.readObject(mapper, ctx.body(), Views.MakeAttemptBody.class);
    String workerName = required(body.worker(), "worker");
    Duration lifetime = seconds(required(body.lifetime(), "lifetime"), "lifetime", true);
    WorkUnit unit = lookup.unit(ctx);
    Worker worker = Lookup.existingWorker(unit.workSpec().namespace(), workerName);
    Attempt attempt = worker.makeAttempt(unit, lifetime);
    ctx.json(Views.AttemptView.of(attempt, Views.AttemptView.number(attempt)));
  }

  // --- One attempt ---

  void attempt(Context ctx) {
    allowOnly(ctx, IDENTITY);
    Numbered a = attemptAt(ctx);
    ctx.json(a.view());
  }

  void renew(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, IDENTITY);
    Views.RenewBody body = Json.readObject(mapper, ctx.body(), Views.RenewBody.class);
    Duration extension = seconds(required(body.extension(), "extension"), "extension", false);
    Map<String, Object> data = optionalData(body.data());
    Numbered a = attemptAt(ctx);
    a.attempt().renew(extension, data);
    ctx.json(a.view());
  }

  void expire(Context ctx) throws JsonProcessingException {
    Map<String, Object> data = dataOnly(ctx);
    Numbered a = attemptAt(ctx);
    a.attempt().expire(data);
    ctx.json(a.view());
  }

  void finish(Context ctx) throws JsonProcessingException {
    Map<String, Object> data = dataOnly(ctx);
    Numbered a = attemptAt(ctx);
    a.attempt().finish(data);
    ctx.json(a.view());
  }

  void fail(Context ctx) throws JsonProcessingException {
    Map<String, Object> data = dataOnly(ctx);
    Numbered a = attemptAt(ctx);
    a.attempt().fail(data);
    ctx.json(a.view());
  }

  void retry(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, IDENTITY);
    Views.RetryBody body = Json.readOptionalObject(mapper, ctx.body(), Views.RetryBody.class);
    Map<String, Object> data = optionalData(body.data());
    Duration delay = body.delay() == null ? null : seconds(body.delay(), "delay", false);
    Numbered a = attemptAt(ctx);
    a.attempt().retry(data, delay);
    ctx.json(a.view());
  }

  /** The body {@code {"data": {...}}}, {@code {}} or empty: the data, null to keep it. */
  private Map<String, Object> dataOnly(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, IDENTITY);
    return optionalData(
        Json.readOptionalObject(mapper, ctx.body(), Views.DataBody.class).data());
  }

  /** Absent data is null: the attempt keeps its data. */
  private static Map<String, Object> optionalData(JsonNode data) {
    return data == null ? null : Json.dataFromJson(data, "data");
  }

  /** An attempt with its index among its unit's attempts. */
  private record Numbered(Attempt attempt, int number) {
    Views.AttemptView view() {
      return Views.AttemptView.of(attempt, number);
    }
  }

  /**
   * The attempt the path names, after the identity check; 404 {@code gone} when there is no
   * attempt {@code n} or it is not the one {@code worker} and {@code start_time} describe.
   */
  private Numbered attemptAt(Context ctx) {
    String workerName = ctx.queryParam("worker");
    String startText = ctx.queryParam("start_time");
    Instant start = startText == null ? null : instant(startText, "start_time");
    int n = index(ctx.pathParam("n"));
    WorkUnit unit = lookup.unit(ctx);
    List<Attempt> attempts = unit.attempts();
    String which = "attempt " + n + " at work unit " + Keys.encode(unit.key());
    if (n >= attempts.size()) {
      throw gone(which + " does not exist (the unit has " + attempts.size() + ")");
    }
    Attempt a = attempts.get(n);
    if ((workerName != null && !workerName.equals(a.worker().name()))
        || (start != null && !start.equals(a.startTime()))) {
      throw gone(which + " is not the one by " + (workerName == null ? "that worker" : workerName)
          + (start == null ? "" : " started " + start)
          + ": the unit was deleted and added again since");
    }
    return new Numbered(a, n);
  }

  private static ApiException gone(String message) {
    return new ApiException(404, "gone", message);
  }

  /** {@code n}: a non-negative decimal integer. */
  private static int index(String text) {
    if (!text.isEmpty() && text.length() <= 9 && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Integer.parseInt(text);
    }
    throw new ApiException(400, "invalid_request",
        "the attempt number must be a non-negative integer: its index among the unit's attempts");
  }
}
