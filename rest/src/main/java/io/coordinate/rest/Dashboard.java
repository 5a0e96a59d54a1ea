package io.coordinate.rest;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRouting;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The web dashboard at {@code /ui/}: three static files (HTML, JavaScript, CSS) read from the
 * classpath beside this class, which draw everything in the browser from the JSON routes of {@link
 * AdminRoutes}. Nothing is rendered on the server, so the page costs the daemon no more than the
 * API reads it makes.
 *
 * <p>These routes are not API routes: {@code /openapi.json} leaves them out, and {@link
 * AdminRoutes#routes()} does not list them. They pass the same access check as every other GET:
 * open on loopback, the bearer token needed on any other address.
 */
final class Dashboard {
  /** Where the page is served; {@code /ui} without the slash redirects there. */
  static final String PATH = "/ui/";

  private static final String RESOURCES = "ui/";
  private static final String INDEX = "index.html";

  /** Every file the page is made of, with its content type; any other name is 404. */
  private static final Map<String, String> FILES =
      Map.of(
          INDEX, "text/html; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "app.css", "text/css; charset=utf-8");

  /**
   * The page loads only its own files and talks only to this server; data it shows is never
   * markup, and this makes sure an escaping mistake cannot run a script either.
   */
  static final String CONTENT_SECURITY_POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  private Dashboard() {}

  static void mount(JavalinDefaultRouting router) {
    // Javalin ignores trailing slashes when matching, so "/ui" also answers "/ui/".
    router.addHttpHandler(HandlerType.GET, "/ui", Dashboard::index);
    router.addHttpHandler(HandlerType.GET, PATH + "{file}", ctx -> file(ctx, ctx.pathParam("file")));
  }

  private static void index(Context ctx) throws IOException {
    if (!ctx.path().endsWith("/")) {
      // Relative, so the page's relative asset and API URLs also work behind a path prefix.
      ctx.status(302).header("Location", "ui/");
      return;
    }
    file(ctx, INDEX);
  }

  private static void file(Context ctx, String name) throws IOException {
    String type = FILES.get(name);
    if (type == null) {
      throw new ApiException(404, "not_found", "no such dashboard file: " + name);
    }
    try (InputStream in = Dashboard.class.getResourceAsStream(RESOURCES + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCES + name);
      }
      ctx.contentType(type)
          // Revalidate every load, so a newer daemon's page is never mixed with older files.
          .header("Cache-Control", "no-cache")
          .header("X-Content-Type-Options", "nosniff")
          .header("Referrer-Policy", "no-referrer")
          .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
          .result(in.readAllBytes());
    }
  }
}
