package io.coordinate.rest;

import static io.coordinate.rest.Requests.allowOnly;
import static io.coordinate.rest.Requests.finite;
import static io.coordinate.rest.Requests.flag;
import static io.coordinate.rest.Requests.instant;
import static io.coordinate.rest.Requests.limit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Deadline;
import io.coordinate.api.GoneException;
import io.coordinate.api.MaintenanceWatch;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.retention.RetentionSweeper;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The handlers of the admin API; see {@link io.coordinate.rest} for the routes they answer. Worker
 * and attempt handlers live in {@link WorkerRoutes} and {@link AttemptRoutes}; {@link #routes()}
 * lists every route of all three.
 */
final class AdminRoutes {
  static final String API = "/api/v1";
  /** One namespace. */
  static final String NS = API + "/namespaces/{ns}";
  /** One work spec. */
  static final String SPEC = NS + "/work-specs/{spec}";
  static final String UNITS = SPEC + "/work-units";
  /** One work unit. */
  static final String UNIT = UNITS + "/{key}";
  /** One attempt at a unit, by its index among the unit's attempts. */
  static final String ATTEMPT = UNIT + "/attempts/{n}";
  /** One worker. */
  static final String WORKER = NS + "/workers/{worker}";
  static final int DEFAULT_LIMIT = Requests.DEFAULT_LIMIT;
  static final int MAX_LIMIT = Requests.MAX_LIMIT;
  /** How many units a bulk retry reads at a time, so no request holds a whole spec in memory. */
  static final int RETRY_PAGE = 1000;

  private static final Set<String> FILTERS = Set.of("status", "key");

  private final Coordinate coordinate;
  private final ObjectMapper mapper;
  private final Optional<Supplier<String>> metrics;
  private final Lookup lookup;
  private final WorkerRoutes workers;
  private final AttemptRoutes attempts;
  private final TransferRoutes transfer;
  private final LockRoutes locks;
  private final MaintenanceWatch maintenance;
  private final Duration requestTimeout;

  AdminRoutes(
      Coordinate coordinate,
      ObjectMapper mapper,
      Optional<Supplier<String>> metrics,
      Clock clock,
      Duration requestTimeout) {
    this.coordinate = coordinate;
    this.requestTimeout = requestTimeout;
    this.mapper = mapper;
    this.metrics = metrics;
    this.lookup = new Lookup(coordinate);
    this.maintenance = new MaintenanceWatch(coordinate);
    this.workers = new WorkerRoutes(lookup, mapper, maintenance);
    this.attempts = new AttemptRoutes(lookup, mapper);
    this.transfer = new TransferRoutes(lookup, mapper, maintenance, clock);
    this.locks = new LockRoutes(lookup, mapper);
  }

  /**
   * One route: what answers which method on which path, whether it changes the queue, which
   * maintenance mode refuses (workers finishing what they hold, reads, and imports go on), and
   * whether it streams its answer for as long as the client reads, so that no request deadline
   * applies.
   */
  record Route(
      HandlerType method, String path, Handler handler, boolean changesQueue, boolean streams) {
    Route(HandlerType method, String path, Handler handler) {
      this(method, path, handler, false, false);
    }
  }

  private static Route change(HandlerType method, String path, Handler handler) {
    return new Route(method, path, handler, true, false);
  }

  private static Route stream(HandlerType method, String path, Handler handler) {
    return new Route(method, path, handler, false, true);
  }

  /** Every route of the admin API; {@code /openapi.json} describes exactly these. */
  List<Route> routes() {
    return List.of(
        new Route(HandlerType.GET, "/healthz", ctx -> ctx.json(new Views.Status("ok"))),
        new Route(HandlerType.GET, "/readyz", this::ready),
        new Route(HandlerType.GET, "/openapi.json", AdminRoutes::openApi),
        new Route(HandlerType.GET, "/metrics", this::metrics),
        new Route(HandlerType.GET, API + "/maintenance", transfer::maintenance),
        new Route(HandlerType.PUT, API + "/maintenance", transfer::setMaintenance),
        // Namespaces
        new Route(HandlerType.GET, API + "/namespaces", this::namespaces),
        change(HandlerType.PUT, NS, this::createNamespace),
        change(HandlerType.DELETE, NS, this::destroyNamespace),
        stream(HandlerType.GET, NS + "/export", transfer::export),
        new Route(HandlerType.POST, NS + "/import", transfer::importLines),
        // Work specs
        new Route(HandlerType.GET, NS + "/work-specs", this::workSpecs),
        change(HandlerType.POST, NS + "/work-specs", this::createWorkSpec),
        new Route(HandlerType.GET, SPEC, this::workSpec),
        change(HandlerType.DELETE, SPEC, this::destroyWorkSpec),
        new Route(HandlerType.GET, SPEC + "/definition", this::definition),
        change(HandlerType.PUT, SPEC + "/definition", this::setDefinition),
        new Route(HandlerType.GET, SPEC + "/meta", this::meta),
        change(HandlerType.PATCH, SPEC + "/meta", this::patchMeta),
        new Route(HandlerType.GET, SPEC + "/counts", this::counts),
        new Route(HandlerType.GET, SPEC + "/snapshots", transfer::snapshots),
        new Route(HandlerType.POST, SPEC + "/restore", transfer::restore),
        // Work units
        new Route(HandlerType.GET, UNITS, this::listUnits),
        change(HandlerType.POST, UNITS, this::addUnits),
        change(HandlerType.DELETE, UNITS, this::deleteUnits),
        change(HandlerType.POST, UNITS + "/retry", this::retryUnits),
        change(HandlerType.POST, UNITS + "/priority", this::changePriorities),
        change(HandlerType.POST, SPEC + "/archive", this::archive),
        new Route(HandlerType.GET, UNIT, this::unit),
        change(HandlerType.PUT, UNIT + "/meta", attempts::setUnitMeta),
        change(HandlerType.PATCH, UNIT + "/meta", attempts::setUnitPriority),
        change(HandlerType.DELETE, UNIT + "/active-attempt", attempts::clearActiveAttempt),
        change(HandlerType.POST, UNIT + "/attempts", attempts::makeAttempt),
        // Attempts
        new Route(HandlerType.GET, ATTEMPT, attempts::attempt),
        new Route(HandlerType.POST, ATTEMPT + "/renew", attempts::renew),
        new Route(HandlerType.POST, ATTEMPT + "/expire", attempts::expire),
        new Route(HandlerType.POST, ATTEMPT + "/finish", attempts::finish),
        new Route(HandlerType.POST, ATTEMPT + "/fail", attempts::fail),
        new Route(HandlerType.POST, ATTEMPT + "/retry", attempts::retry),
        // Workers
        new Route(HandlerType.GET, NS + "/workers", workers::list),
        new Route(HandlerType.PUT, WORKER, workers::create),
        new Route(HandlerType.GET, WORKER, workers::get),
        new Route(HandlerType.PUT, WORKER + "/parent", workers::setParent),
        new Route(HandlerType.DELETE, WORKER + "/parent", workers::clearParent),
        new Route(HandlerType.GET, WORKER + "/children", workers::children),
        new Route(HandlerType.POST, WORKER + "/deactivate", workers::deactivate),
        new Route(HandlerType.POST, WORKER + "/heartbeat", workers::heartbeat),
        new Route(HandlerType.POST, WORKER + "/work", workers::requestWork),
        new Route(HandlerType.GET, WORKER + "/attempts", workers::allAttempts),
        new Route(HandlerType.GET, WORKER + "/active-attempts", workers::activeAttempts),
        new Route(HandlerType.GET, WORKER + "/child-attempts", workers::childAttempts),
        // Advisory locks
        new Route(HandlerType.POST, NS + "/locks/lock", locks::lock),
        new Route(HandlerType.POST, NS + "/locks/lock-some", locks::lockSome),
        new Route(HandlerType.POST, NS + "/locks/renew", locks::renew),
        new Route(HandlerType.POST, NS + "/locks/unlock", locks::unlock),
        new Route(HandlerType.POST, NS + "/locks/owners", locks::owners),
        new Route(HandlerType.POST, NS + "/locks/delete-tree", locks::deleteTree));
  }

  void mount(JavalinDefaultRouting router) {
    for (Route r : routes()) {
      Handler handler = r.changesQueue() ? refusedInMaintenance(r) : r.handler();
      router.addHttpHandler(r.method(), r.path(), r.streams() ? handler : withinDeadline(handler));
    }
  }

  /**
   * Runs the handler under the request's {@link Deadline}, counted from when the server received
   * the request (time spent queued counts), so the backend gives up waiting in time.
   */
  private Handler withinDeadline(Handler handler) {
    return ctx -> {
      long receivedAt = System.nanoTime();
      if (ctx.req() instanceof org.eclipse.jetty.server.Request jetty && jetty.getTimeStamp() > 0) {
        long queuedMillis = Math.max(0, System.currentTimeMillis() - jetty.getTimeStamp());
        receivedAt -= queuedMillis * 1_000_000;
      }
      Deadline.within(
          receivedAt,
          requestTimeout,
          () -> {
            handler.handle(ctx);
            return null;
          });
    };
  }

  private Handler refusedInMaintenance(Route r) {
    String what = r.method() + " " + r.path();
    return ctx -> {
      maintenance.refuseWhileOn(what);
      r.handler().handle(ctx);
    };
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
    Readiness.check(coordinate); // 503 backend_unavailable when the store is down or too slow
    ctx.json(new Views.Status("ok"));
  }

  private void namespaces(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(new Views.NamespaceList(coordinate.namespaceNames()));
  }

  /** Creates the namespace if it does not exist (the one route that creates one by naming it). */
  private void createNamespace(Context ctx) {
    allowOnly(ctx, Set.of());
    String name = Lookup.namespaceName(ctx);
    coordinate.namespace(name);
    ctx.json(new Views.Named(name));
  }

  private void destroyNamespace(Context ctx) {
    allowOnly(ctx, Set.of());
    String name = Lookup.namespaceName(ctx);
    lookup.namespace(ctx).destroy();
    ctx.json(new Views.DeletedName(name));
  }

  private void workSpecs(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(new Views.WorkSpecList(lookup.namespace(ctx).workSpecNames()));
  }

  /** The body is the definition itself; its {@code name} names the spec. */
  private void createWorkSpec(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Map<String, Object> definition =
        Json.dataFromJson(Json.readTree(mapper, ctx.body()), "definition");
    WorkSpec spec = lookup.namespace(ctx).setWorkSpec(definition);
    ctx.json(new Views.Named(spec.name()));
  }

  private void workSpec(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(Views.WorkSpecView.of(lookup.spec(ctx)));
  }

  private void destroyWorkSpec(Context ctx) {
    allowOnly(ctx, Set.of());
    String name = Lookup.specName(ctx);
    lookup.namespace(ctx).destroyWorkSpec(name);
    ctx.json(new Views.DeletedName(name));
  }

  private void definition(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(new Views.DefinitionView(lookup.spec(ctx).definition().map()));
  }

  private void setDefinition(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.DefinitionBody body = Json.readObject(mapper, ctx.body(), Views.DefinitionBody.class);
    Map<String, Object> definition =
        Json.dataFromJson(Requests.required(body.definition(), "definition"), "definition");
    WorkSpec spec = lookup.spec(ctx);
    spec.setDefinition(definition);
    ctx.json(new Views.Named(spec.name()));
  }

  private void meta(Context ctx) {
    allowOnly(ctx, Set.of("counts"));
    boolean counts = flag(ctx, "counts");
    ctx.json(Views.MetaView.of(lookup.spec(ctx).meta(counts)));
  }

  private void patchMeta(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    // Parse before touching the backend, so a bad body changes nothing.
    Views.MetaPatch patch = Json.readObject(mapper, ctx.body(), Views.MetaPatch.class);
    WorkSpec spec = lookup.spec(ctx);
    WorkSpecMeta changed = patch.applyTo(spec.meta(false));
    spec.setMeta(changed);
    ctx.json(Views.MetaView.of(spec.meta(false)));
  }

  private void counts(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(new Views.CountsView(
        Views.countsByStatus(lookup.spec(ctx).countWorkUnitStatus())));
  }

  private void listUnits(Context ctx) {
    allowOnly(ctx, Set.of("status", "from", "after", "key", "limit"));
    int limit = limit(ctx);
    WorkUnitQuery query = pageFilters(ctx);
    // One more than the page tells whether another page follows without a second query.
    List<WorkUnit> units = lookup.spec(ctx).workUnits(query.withLimit(limit + 1));
    List<WorkUnit> page = units.size() > limit ? units.subList(0, limit) : units;
    String nextAfter = units.size() > limit ? Keys.encode(page.getLast().key()) : null;
    ctx.json(new Views.WorkUnitPage(
        page.stream().map(Views.WorkUnitSummary::of).toList(), nextAfter));
  }

  private void unit(Context ctx) {
    allowOnly(ctx, Set.of());
    ctx.json(Views.WorkUnitDetail.of(lookup.unit(ctx)));
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
    lookup.spec(ctx).addWorkUnits(units);
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
    Instant notBefore =
        item.notBefore() == null ? null : instant(item.notBefore(), path + ".not_before");
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
    ctx.json(new Views.Deleted(lookup.spec(ctx).deleteWorkUnits(query)));
  }

  /**
   * Makes failed units (all, or those of the given keys) available again by forgetting their
   * failed attempt, which stays in the history. Pages through the spec so memory stays bounded.
   */
  private void retryUnits(Context ctx) {
    allowOnly(ctx, Set.of("key"));
    WorkSpec spec = lookup.spec(ctx);
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

  /** The most units one archive request may delete, so that it ends within its deadline. */
  static final int MAX_ARCHIVE_UNITS = 100_000;

  /** Deletes finished and failed units beyond the spec's retention, up to {@code max_units}. */
  private void archive(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, Set.of());
    Views.ArchiveBody body = Json.readOptionalObject(mapper, ctx.body(), Views.ArchiveBody.class);
    int max = body.maxUnits() == null ? RetentionSweeper.DEFAULT_BATCH : body.maxUnits();
    if (max < 0 || max > MAX_ARCHIVE_UNITS) {
      throw new ApiException(400, "invalid_request",
          "max_units must be from 0 to " + MAX_ARCHIVE_UNITS + ": " + max);
    }
    ctx.json(new Views.Archived(lookup.spec(ctx).archive(max)));
  }

  private void changePriorities(Context ctx) throws JsonProcessingException {
    allowOnly(ctx, FILTERS);
    Views.PriorityChange body = Json.readObject(mapper, ctx.body(), Views.PriorityChange.class);
    if ((body.priority() == null) == (body.adjust() == null)) {
      throw new ApiException(400, "invalid_request",
          "the body needs exactly one of \"priority\" and \"adjust\"");
    }
    WorkUnitQuery query = filters(ctx);
    WorkSpec spec = lookup.spec(ctx);
    int changed = body.priority() != null
        ? spec.setWorkUnitPriorities(query, finite(body.priority(), "priority"))
        : spec.adjustWorkUnitPriorities(query, finite(body.adjust(), "adjust"));
    ctx.json(new Views.Changed(changed));
  }

  /**
   * The filters of a paged listing: {@code status}, {@code key}, and the key bounds {@code from}
   * and {@code after}, without a limit.
   */
  static WorkUnitQuery pageFilters(Context ctx) {
    WorkUnitQuery query = filters(ctx);
    String from = ctx.queryParam("from");
    if (from != null) {
      query = query.withFrom(Keys.decode(from));
    }
    String after = ctx.queryParam("after");
    if (after != null) {
      query = query.withAfter(Keys.decode(after));
    }
    return query;
  }

  /** The {@code status} and {@code key} filters of the query string, without a limit. */
  static WorkUnitQuery filters(Context ctx) {
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
}
