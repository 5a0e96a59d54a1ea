package io.coordinate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.GoneException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/** The handlers of the admin API; see {@link io.coordinate.rest} for the routes they answer. */
final class AdminRoutes {
  static final String API = "/api/v1";
  static final String UNITS = API + "/namespaces/{ns}/work-specs/{spec}/work-units";
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  /** How many units a bulk retry reads at a time, so no request holds a whole spec in memory. */
  static final int RETRY_PAGE = 1000;

  private static final Set<String> FILTERS = Set.of("status", "key");

  private final Coordinate coordinate;
  private final ObjectMapper mapper;
  private final Optional<Supplier<String>> metrics;

  AdminRoutes(Coordinate coordinate, ObjectMapper mapper, Optional<Supplier<String>> metrics) {
    this.coordinate = coordinate;
    this.mapper = mapper;
    this.metrics = metrics;
  }

  /** One route: what answers which method on which path. */
  record Route(HandlerType method, String path, Handler handler) {}

  /** Every route of the admin API; {@code /openapi.json} describes exactly these. */
  List<Route> routes() {
    return List.of(
        new Route(HandlerType.GET, "/healthz", ctx -> ctx.json(new Views.Status("ok"))),
        new Route(HandlerType.GET, "/readyz", this::ready),
        new Route(HandlerType.GET, "/openapi.json", AdminRoutes::openApi),
        new Route(HandlerType.GET, "/metrics", this::metrics),
        new Route(HandlerType.GET, API + "/namespaces", this::namespaces),
        new Route(HandlerType.GET, API + "/namespaces/{ns}/work-specs", this::workSpecs),
        new Route(HandlerType.GET, API + "/namespaces/{ns}/work-specs/{spec}", this::workSpec),
        new Route(
            HandlerType.PATCH, API + "/namespaces/{ns}/work-specs/{spec}/meta", this::patchMeta),
        new Route(HandlerType.GET, UNITS, this::listUnits),
        new Route(HandlerType.POST, UNITS, this::addUnits),
        new Route(HandlerType.DELETE, UNITS, this::deleteUnits),
        new Route(HandlerType.POST, UNITS + "/retry", this::retryUnits),
        new Route(HandlerType.POST, UNITS + "/priority", this::changePriorities),
        new Route(HandlerType.GET, UNITS + "/{key}", this::unit));
  }

  void mount(JavalinDefaultRouting router) {
    for (Route r : routes()) {
      router.addHttpHandler(r.method(), r.path(), r.handler());
    }
  }

  /** The OpenAPI 3 document of these routes, a resource beside this class. */
  static final String OPENAPI_RESOURCE = "openapi.json";

  private static void openApi(Context ctx) throws IOException {
    try (var in = AdminRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + OPENAPI_RESOURCE);
      }
      ctx.contentType("application/json").result(in.readAllBytes());
    }
  }

  /** The Prometheus text exposition format, version 0.0.4. */
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private void metrics(Context ctx) {
    Supplier<String> scrape =
        metrics.orElseThrow(() -> new ApiException(404, "not_found", "metrics are not enabled"));
    ctx.contentType(PROMETHEUS_TEXT).result(scrape.get());
  }

  private void ready(Context ctx) {
    coordinate.namespaceNames(); // throws BackendUnavailableException when the store is down
    ctx.json(new Views.Status("ok"));
  }

  private void namespaces(Context ctx) {
    ctx.json(new Views.NamespaceList(coordinate.namespaceNames()));
  }

  private void workSpecs(Context ctx) {
    ctx.json(new Views.WorkSpecList(existingNamespace(ctx).workSpecNames()));
  }

  private void workSpec(Context ctx) {
    ctx.json(Views.WorkSpecView.of(spec(ctx)));
  }

  private void patchMeta(Context ctx) throws JsonProcessingException {
    // Parse before touching the backend, so a bad body changes nothing.
    Views.MetaPatch patch = Json.readObject(mapper, ctx.body(), Views.MetaPatch.class);
    WorkSpec spec = spec(ctx);
    WorkSpecMeta changed = patch.applyTo(spec.meta(false));
    spec.setMeta(changed);
    ctx.json(Views.MetaView.of(spec.meta(false)));
  }

  private void listUnits(Context ctx) {
    allowOnly(ctx, Set.of("status", "after", "limit"));
    int limit = limit(ctx);
    WorkUnitQuery query = WorkUnitQuery.all().withStatuses(statuses(ctx));
    String after = ctx.queryParam("after");
    if (after != null) {
      query = query.withAfter(Keys.decode(after));
    }
    // One more than the page tells whether another page follows without a second query.
    List<WorkUnit> units = spec(ctx).workUnits(query.withLimit(limit + 1));
    List<WorkUnit> page = units.size() > limit ? units.subList(0, limit) : units;
    String nextAfter = units.size() > limit ? Keys.encode(page.getLast().key()) : null;
    ctx.json(new Views.WorkUnitPage(
        page.stream().map(Views.WorkUnitSummary::of).toList(), nextAfter));
  }

  private void unit(Context ctx) {
    allowOnly(ctx, Set.of());
    WorkUnitKey key = Keys.decode(ctx.pathParam("key"));
    ctx.json(Views.WorkUnitDetail.of(spec(ctx).workUnit(key)));
  }

  private void addUnits(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    // Parse and check the whole batch first, so a bad item adds nothing.
    Views.AddWorkUnits body = Json.readObject(mapper, ctx.body(), Views.AddWorkUnits.class);
    if (body.workUnits() == null) {
      throw new ApiException(400, "malformed_body", "field \"work_units\" is required");
    }
    List<NewWorkUnit> units = new ArrayList<>(body.workUnits().size());
    for (int i = 0; i < body.workUnits().size(); i++) {
      units.add(newUnit(body.workUnits().get(i), "work_units[" + i + "]"));
    }
    spec(ctx).addWorkUnits(units);
    ctx.status(201).json(new Views.Added(units.size()));
  }

  private static NewWorkUnit newUnit(Views.NewUnitBody item, String path) {
    if (item == null) {
      throw new ApiException(400, "malformed_body", "field \"" + path + "\" must be an object");
    }
    if ((item.key() == null) == (item.keyText() == null)) {
      throw new ApiException(400, "invalid_request",
          path + " needs exactly one of \"key\" (base64url) and \"key_text\"");
    }
    WorkUnitKey key =
        item.key() != null ? Keys.decode(item.key()) : WorkUnitKey.of(item.keyText());
    double priority = item.priority() == null ? 0 : finite(item.priority(), path + ".priority");
    Instant notBefore = null;
    if (item.notBefore() != null) {
      try {
        notBefore = Instant.parse(item.notBefore());
      } catch (DateTimeParseException e) {
        throw new ApiException(400, "invalid_request",
            path + ".not_before is not an ISO-8601 instant such as 2024-01-31T12:00:00Z");
      }
    }
    return NewWorkUnit.of(key, Json.dataFromJson(item.data(), path + ".data"),
        new WorkUnitMeta(priority, notBefore));
  }

  private void deleteUnits(Context ctx) {
    allowOnly(ctx, Set.of("status", "key", "all"));
    WorkUnitQuery query = filters(ctx);
    boolean all = flag(ctx, "all");
    // An operator safety catch: emptying a whole spec must be asked for in so many words.
    if (query.keys() == null && query.statuses().isEmpty() && !all) {
      throw new ApiException(400, "invalid_request",
          "refusing to delete every work unit without ?all=true; filter by status or key");
    }
    ctx.json(new Views.Deleted(spec(ctx).deleteWorkUnits(query)));
  }

  /**
   * Makes failed units (all, or those of the given keys) available again by forgetting their
   * failed attempt, which stays in the history. Pages through the spec so memory stays bounded.
   */
  private void retryUnits(Context ctx) {
    allowOnly(ctx, Set.of("key"));
    WorkSpec spec = spec(ctx);
    WorkUnitQuery query =
        filters(ctx).withStatuses(WorkUnitStatus.FAILED).withLimit(RETRY_PAGE);
    int retried = 0;
    WorkUnitKey after = null;
    while (true) {
      List<WorkUnit> page = spec.workUnits(query.withAfter(after));
      for (WorkUnit unit : page) {
        try {
          // Look again: a unit re-added since the query may now hold a live lease.
          if (unit.status() == WorkUnitStatus.FAILED) {
            unit.clearActiveAttempt();
            retried++;
          }
        } catch (GoneException e) {
          // Deleted meanwhile: nothing to retry.
        }
      }
      if (page.size() < RETRY_PAGE) {
        break;
      }
      after = page.getLast().key();
    }
    ctx.json(new Views.Retried(retried));
  }

  private void changePriorities(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, FILTERS);
    Views.PriorityChange body = Json.readObject(mapper, ctx.body(), Views.PriorityChange.class);
    if ((body.priority() == null) == (body.adjust() == null)) {
      throw new ApiException(400, "invalid_request",
          "the body needs exactly one of \"priority\" and \"adjust\"");
    }
    WorkUnitQuery query = filters(ctx);
    WorkSpec spec = spec(ctx);
    int changed = body.priority() != null
        ? spec.setWorkUnitPriorities(query, finite(body.priority(), "priority"))
        : spec.adjustWorkUnitPriorities(query, finite(body.adjust(), "adjust"));
    ctx.json(new Views.Changed(changed));
  }

  /** The {@code status} and {@code key} filters of the query string, without a limit. */
  private static WorkUnitQuery filters(Context ctx) {
    WorkUnitQuery query = WorkUnitQuery.all().withStatuses(statuses(ctx));
    List<String> keys = ctx.queryParams("key");
    if (!keys.isEmpty()) {
      query = query.withKeys(keys.stream().map(Keys::decode).toList());
    }
    return query;
  }

  /** {@code status} given as a comma-separated list, repeated, or both; empty for any. */
  private static Set<WorkUnitStatus> statuses(Context ctx) {
    Set<WorkUnitStatus> out = EnumSet.noneOf(WorkUnitStatus.class);
    for (String value : ctx.queryParams("status")) {
      for (String name : value.split(",", -1)) {
        out.add(status(name.strip()));
      }
    }
    return out;
  }

  private static WorkUnitStatus status(String name) {
    for (WorkUnitStatus s : WorkUnitStatus.values()) {
      if (Views.statusName(s).equals(name.toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new ApiException(400, "invalid_request",
        "unknown status \"" + name + "\"; use available, pending, finished, failed or delayed");
  }

  private static int limit(Context ctx) {
    String text = ctx.queryParam("limit");
    if (text == null) {
      return DEFAULT_LIMIT;
    }
    int limit;
    try {
      limit = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new ApiException(400, "invalid_request",
          "limit must be an integer from 1 to " + MAX_LIMIT);
    }
    return limit;
  }

  private static boolean flag(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null || text.equals("false")) {
      return false;
    }
    if (text.equals("true")) {
      return true;
    }
    throw new ApiException(400, "invalid_request", name + " must be true or false");
  }

  /** Refuses unknown query parameters, so a misspelt filter never widens what a request does. */
  private static void allowOnly(Context ctx, Set<String> allowed) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!allowed.contains(name)) {
        throw new ApiException(400, "invalid_request", "unknown query parameter \"" + name + "\"");
      }
    }
  }

  private static double finite(double value, String field) {
    if (!Double.isFinite(value)) {
      throw new ApiException(400, "invalid_request", field + " must be a finite number");
    }
    return value;
  }

  private WorkSpec spec(Context ctx) {
    return existingNamespace(ctx).workSpec(ctx.pathParam("spec"));
  }

  /**
   * The namespace named in the path, if it exists. {@link Coordinate#namespace} would create a
   * missing one, so look first: no request creates a namespace by naming it.
   */
  private Namespace existingNamespace(Context ctx) {
    String name = ctx.pathParam("ns");
    if (!coordinate.namespaceNames().contains(name)) {
      throw ApiException.noSuchNamespace(name);
    }
    return coordinate.namespace(name);
  }
}
