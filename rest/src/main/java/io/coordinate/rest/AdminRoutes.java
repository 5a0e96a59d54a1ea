package io.coordinate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkSpecMeta;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRouting;

/** The handlers of the admin API; see {@link io.coordinate.rest} for the routes they answer. */
final class AdminRoutes {
  static final String API = "/api/v1";

  private final Coordinate coordinate;
  private final ObjectMapper mapper;

  AdminRoutes(Coordinate coordinate, ObjectMapper mapper) {
    this.coordinate = coordinate;
    this.mapper = mapper;
  }

  void mount(JavalinDefaultRouting router) {
    router.get("/healthz", ctx -> ctx.json(new Views.Status("ok")));
    router.get("/readyz", this::ready);
    router.get(API + "/namespaces", this::namespaces);
    router.get(API + "/namespaces/{ns}/work-specs", this::workSpecs);
    router.get(API + "/namespaces/{ns}/work-specs/{spec}", this::workSpec);
    router.patch(API + "/namespaces/{ns}/work-specs/{spec}/meta", this::patchMeta);
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
