package io.coordinate.rest;

import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.PathSegments;
import io.javalin.http.Context;

/**
 * Names in request paths, in the form of {@link PathSegments}.
 *
 * <p>The segment is read from the raw request path and decoded here, exactly once: Javalin's own
 * {@code pathParam} decoding turns a literal {@code %2B} in a name into {@code +}.
 */
final class Names {
  private Names() {}

  /** The name in the path parameter {@code param} ({@code ns}, {@code spec} or {@code worker}). */
  static String fromPath(Context ctx, String param) {
    return decode(rawSegment(ctx, param));
  }

  /**
   * The segment of the request path under {@code {param}} of the route, as sent. Routes have no
   * wildcards and the raw path keeps {@code %2F} inside its segment, so the segments of route and
   * path pair up one to one.
   */
  private static String rawSegment(Context ctx, String param) {
    String[] pattern = ctx.endpointHandlerPath().split("/", -1);
    String[] actual = ctx.path().substring(ctx.contextPath().length()).split("/", -1);
    String wanted = "{" + param + "}";
    for (int i = 0; i < pattern.length && i < actual.length; i++) {
      if (pattern[i].equals(wanted)) {
        return actual[i];
      }
    }
    throw new IllegalStateException(
        "route " + ctx.endpointHandlerPath() + " has no {" + param + "}");
  }

  /**
   * The name a path segment stands for ({@link PathSegments#name}).
   *
   * @throws ApiException 400 {@code invalid_request} if the escapes are malformed or not UTF-8
   */
  static String decode(String segment) {
    try {
      return PathSegments.name(segment);
    } catch (InvalidRequestException e) {
      throw new ApiException(400, "invalid_request", e.getMessage());
    }
  }

  /** The path segment of {@code name}: the inverse of {@link #decode}. */
  static String encode(String name) {
    return PathSegments.ofName(name);
  }
}
