package io.coordinate.rest;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkerException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import io.javalin.http.Context;

/**
 * Finds what a path names, never creating it: a missing namespace is 404 {@code
 * no_such_namespace}, a missing work spec, unit or worker the backend's own 404.
 */
final class Lookup {
  private final Coordinate coordinate;

  Lookup(Coordinate coordinate) {
    this.coordinate = coordinate;
  }

  Coordinate coordinate() {
    return coordinate;
  }

  /** The namespace name in the path (decoded, see {@link Names}). */
  static String namespaceName(Context ctx) {
    return Names.fromPath(ctx, "ns");
  }

  static String specName(Context ctx) {
    return Names.fromPath(ctx, "spec");
  }

  static String workerName(Context ctx) {
    return Names.fromPath(ctx, "worker");
  }

  /**
   * The namespace named in the path, if it exists. {@link Coordinate#namespace} would create a
   * missing one, so look first: no request but {@code PUT} creates a namespace by naming it.
   */
  Namespace namespace(Context ctx) {
    String name = namespaceName(ctx);
    if (!coordinate.namespaceNames().contains(name)) {
      throw ApiException.noSuchNamespace(name);
    }
    return coordinate.namespace(name);
  }

  WorkSpec spec(Context ctx) {
    return namespace(ctx).workSpec(specName(ctx));
  }

  WorkUnit unit(Context ctx) {
    return spec(ctx).workUnit(Keys.fromPath(ctx.pathParam("key")));
  }

  Worker worker(Context ctx) {
    return existingWorker(namespace(ctx), workerName(ctx));
  }

  /** The worker of this name in {@code ns}; 404 {@code no_such_worker} if there is none. */
  static Worker existingWorker(Namespace ns, String name) {
    return ns.findWorker(name).orElseThrow(() -> new NoSuchWorkerException(name));
  }
}
