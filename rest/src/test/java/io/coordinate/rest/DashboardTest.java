package io.coordinate.rest;

import static io.coordinate.rest.TestHttp.assertError;
import static io.coordinate.rest.TestHttp.call;
import static io.coordinate.rest.TestHttp.get;
import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.TestHttp.Answer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's files over HTTP: where they are, their types and headers, and who may fetch
 * them. What the page does in a browser is {@code DashboardBrowserTest}'s (module daemon).
 */
class DashboardTest {
  private static final String TOKEN = "dashboard-token";

  private final MemoryCoordinate coordinate = MemoryCoordinate.create();
  private final List<AdminServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(AdminServer::close);
    coordinate.close();
  }

  private AdminServer start(AdminServer.Settings settings) {
    AdminServer server = new AdminServer(settings);
    servers.add(server);
    return server.start();
  }

  @Test
  void servesThePageAndItsFilesWithTheirTypes() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate)).port();
    Answer page = get(port, "/ui/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.raw().headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
    assertThat(page.raw().body()).contains("<script src=\"app.js\"").contains("app.css");
    assertThat(get(port, "/ui/index.html").raw().body()).isEqualTo(page.raw().body());

    Answer script = get(port, "/ui/app.js");
    assertThat(script.status()).isEqualTo(200);
    assertThat(script.raw().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/javascript");
    assertThat(script.raw().body()).contains("'use strict'");
    Answer style = get(port, "/ui/app.css");
    assertThat(style.status()).isEqualTo(200);
    assertThat(style.raw().headers().firstValue("Content-Type").orElseThrow())
        .startsWith("text/css");
  }

  @Test
  void slashlessPathRedirectsRelativelySoAPathPrefixSurvives() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate)).port();
    Answer answer = get(port, "/ui");
    assertThat(answer.status()).isEqualTo(302);
    assertThat(answer.raw().headers().firstValue("Location")).hasValue("ui/");
  }

  @Test
  void everyFileForbidsForeignScriptsAndSniffing() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate)).port();
    for (String file : List.of("/ui/", "/ui/app.js", "/ui/app.css")) {
      var headers = get(port, file).raw().headers();
      assertThat(headers.firstValue("Content-Security-Policy"))
          .as(file)
          .hasValue(Dashboard.CONTENT_SECURITY_POLICY);
      assertThat(headers.firstValue("X-Content-Type-Options")).as(file).hasValue("nosniff");
      assertThat(headers.firstValue("Cache-Control")).as(file).hasValue("no-cache");
    }
    assertThat(Dashboard.CONTENT_SECURITY_POLICY)
        .contains("script-src 'self'")
        .contains("connect-src 'self'")
        .doesNotContain("unsafe");
  }

  @Test
  void anyOtherFileIsAJsonNotFound() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate)).port();
    assertError(get(port, "/ui/secret.txt"), 404, "not_found");
    assertError(get(port, "/ui/..%2Fopenapi.json"), 404, "not_found");
  }

  @Test
  void thePageIsAReadOpenOnLoopbackEvenWithAToken() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate).withAdminToken(TOKEN)).port();
    assertThat(get(port, "/ui/").status()).isEqualTo(200);
    assertThat(get(port, "/ui/app.js").status()).isEqualTo(200);
  }

  @Test
  void onANonLoopbackAddressThePageNeedsTheTokenLikeEveryRequest() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate)
        .withAddress("0.0.0.0", 0).withAdminToken(TOKEN)).port();
    assertError(get(port, "/ui/"), 401, "unauthorized");
    assertThat(call(port, "GET", "/ui/", null, "Bearer " + TOKEN).status()).isEqualTo(200);
  }

  @Test
  void theDashboardIsNotInTheApiDocument() throws Exception {
    int port = start(AdminServer.Settings.loopback(coordinate)).port();
    Answer doc = get(port, "/openapi.json");
    assertThat(doc.status()).isEqualTo(200);
    assertThat(doc.body().get("paths").fieldNames()).toIterable()
        .isNotEmpty()
        .noneMatch(path -> path.startsWith("/ui"));
  }
}
