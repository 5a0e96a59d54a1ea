package io.coordinate.rest;

import static io.coordinate.rest.Requests.allowOnly;
import static io.coordinate.rest.Requests.finite;
import static io.coordinate.rest.Requests.limit;
import static io.coordinate.rest.Requests.required;
import static io.coordinate.rest.Requests.seconds;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Deadline;
import io.coordinate.api.MaintenanceState;
import io.coordinate.api.MaintenanceWatch;
import io.coordinate.api.Namespace;
import io.coordinate.api.Worker;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.server.Request;

/**
 * The handlers of workers ({@code /api/v1/namespaces/{ns}/workers...}); {@link
 * AdminRoutes#routes()} lists them. Only {@code PUT .../workers/{worker}} creates a worker; every
 * other route answers 404 {@code no_such_worker} for a name that does not exist.
 */
final class WorkerRoutes {
  private static final Comparator<Worker> BY_NAME = Comparator.comparing(Worker::name);

  /** Set on an empty answer to a request for work while maintenance mode is on: its reason. */
  static final String MAINTENANCE_HEADER = "Coordinate-Maintenance";

  /** What a waiting request's connection may stay quiet beyond its wait: the rest of its work. */
  private static final Duration LONG_POLL_IDLE_MARGIN =
      Deadline.DEFAULT_REQUEST_TIMEOUT.plusSeconds(10);

  private final Lookup lookup;
  private final ObjectMapper mapper;
  private final MaintenanceWatch maintenance;

  WorkerRoutes(Lookup lookup, ObjectMapper mapper, MaintenanceWatch maintenance) {
    this.lookup = lookup;
    this.mapper = mapper;
    this.maintenance = maintenance;
  }

  /** A page of the namespace's workers, by name ({@link String#compareTo}). */
  void list(Context ctx) {
    allowOnly(ctx, Set.of("after", "limit"));
    int limit = limit(ctx);
    String after = ctx.queryParam("after");
    List<Worker> all = lookup.namespace(ctx).workers().stream()
        .filter(w -> after == null || w.name().compareTo(after) > 0)
        .sorted(BY_NAME)
        .limit(limit + 1L)
        .toList();
    List<Worker> page = all.size() > limit ? all.subList(0, limit) : all;
    String nextAfter = all.size() > limit ? page.getLast().name() : null;
    ctx.json(new Views.WorkerPage(views(page), nextAfter));
  }

  void create(Context ctx) {
    allowOnly(ctx, Set.of());
    String name = Lookup.workerName(ctx);
    ctx.json(Views.WorkerView.of(lookup.namespace(ctx).worker(name)));
  }

  void get(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(Views.WorkerView.of(lookup.worker(ctx)));
  }

  void setParent(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.ParentBody body = Json.readObject(mapper, ctx.body(), Views.ParentBody.class);
    String parentName = required(body.parent(), "parent");
    Namespace ns = lookup.namespace(ctx);
    Worker worker = Lookup.existingWorker(ns, Lookup.workerName(ctx));
    worker.setParent(Lookup.existingWorker(ns, parentName));
    ctx.json(Views.WorkerView.of(worker));
  }

  void clearParent(Context ctx) {
    allowOnly(ctx, Set.of());
    Worker worker = lookup.worker(ctx);
    worker.setParent(null);
    ctx.json(Views.WorkerView.of(worker));
  }

  void children(Context ctx) {
    allowOnly(ctx, Set.of());
    List<Worker> children = lookup.worker(ctx).children().stream().sorted(BY_NAME).toList();
    ctx.json(new Views.WorkerList(views(children)));
  }

  void deactivate(Context ctx) {
    allowOnly(ctx, Set.of());
    Worker worker = lookup.worker(ctx);
    worker.deactivate();
    ctx.json(Views.WorkerView.of(worker));
  }

  void heartbeat(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.HeartbeatBody body = Json.readObject(mapper, ctx.body(), Views.HeartbeatBody.class);
    String mode = required(body.mode(), "mode");
    Map<String, Object> data = Json.dataFromJson(required(body.data(), "data"), "data");
    Duration lifetime = seconds(required(body.lifetime(), "lifetime"), "lifetime", false);
    Worker worker = lookup.worker(ctx);
    worker.heartbeat(mode, data, lifetime);
    ctx.json(Views.WorkerView.of(worker));
  }

  /** Leases work as a worker's get-work does: {@code {"attempts": [...]}}, empty when none. */
  void requestWork(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.WorkBody body = Json.readOptionalObject(mapper, ctx.body(), Views.WorkBody.class);
    int n = body.workUnits() == null ? 1 : body.workUnits();
    if (n < 1) {
      throw new ApiException(400, "invalid_request", "work_units must be at least 1");
    }
    Duration lifetime = body.lifetime() == null
        ? AttemptRequest.DEFAULT_LIFETIME
        : seconds(body.lifetime(), "lifetime", true);
    double gb = body.availableGb() == null ? 0 : finite(body.availableGb(), "available_gb");
    List<String> specs = names(body.workSpecs(), "work_specs");
    List<String> runtimes = names(body.runtimes(), "runtimes");
    Duration wait =
        body.waitSeconds() == null ? Duration.ZERO : seconds(body.waitSeconds(), "wait", false);
    AttemptRequest request = new AttemptRequest(n, lifetime, gb, specs, runtimes, wait);
    Worker worker = lookup.worker(ctx);
    MaintenanceState state = maintenance.current();
    if (state.on()) {
      // Workers poll: nothing to do, said in a header, rather than an error for each poll.
      ctx.header(MAINTENANCE_HEADER, state.reason().isEmpty() ? "on" : state.reason());
      ctx.json(new Views.AttemptList(List.of()));
      return;
    }
    if (request.waits()) {
      // Jetty drops a connection quiet for its idle timeout (30 s), waiting requests included.
      Request.getBaseRequest(ctx.req())
          .getHttpChannel()
          .getEndPoint()
          .setIdleTimeout(wait.plus(LONG_POLL_IDLE_MARGIN).toMillis());
    }
    List<Attempt> attempts = worker.requestAttempts(request);
    ctx.json(new Views.AttemptList(Views.AttemptView.ofAll(attempts)));
  }

  void allAttempts(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(new Views.AttemptList(Views.AttemptView.ofAll(lookup.worker(ctx).allAttempts())));
  }

  void activeAttempts(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(
        new Views.AttemptList(Views.AttemptView.ofAll(lookup.worker(ctx).activeAttempts())));
  }

  void childAttempts(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(
        new Views.AttemptList(Views.AttemptView.ofAll(lookup.worker(ctx).childAttempts())));
  }

  private static List<Views.WorkerView> views(List<Worker> workers) {
    return workers.stream().map(Views.WorkerView::of).toList();
  }

  /** A list of names from a body: absent is empty (any); a null item is malformed. */
  private static List<String> names(List<String> names, String field) {
    if (names == null) {
      return List.of();
    }
    for (int i = 0; i < names.size(); i++) {
      if (names.get(i) == null) {
        throw new ApiException(400, "malformed_body",
            "field \"" + field + "[" + i + "]\" must be a string");
      }
    }
    return names;
  }
}
