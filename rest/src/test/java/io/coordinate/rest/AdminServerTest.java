package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.data.Tuple;
import io.coordinate.rest.TestHttp.Answer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin server's own routes over real HTTP, on each store: a subclass per store supplies the
 * backend ({@code AdminServerOn…Test}).
 */
abstract class AdminServerTest {
  private static final String TOKEN = "s3cret-token";
  private static final ObjectMapper JSON = TestHttp.JSON;

  private final List<AdminServer> servers = new ArrayList<>();
  private Coordinate coordinate;
  private WorkSpec spec;

  /** A new backend with no namespace in it, for one test. */
  protected abstract Coordinate newCoordinate();

  @BeforeEach
  void setUp() {
    coordinate = newCoordinate();
    Namespace ns = coordinate.namespace("ns1");
    Map<String, Object> definition = new LinkedHashMap<>();
    definition.put("name", "spec1");
    definition.put("priority", 2);
    definition.put("max_running", 7);
    definition.put("blob", new byte[] {0, 1, (byte) 0xff});
    definition.put("pair", Tuple.of("a", 1L));
    spec = ns.setWorkSpec(definition);
    spec.addWorkUnit(WorkUnitKey.of("u1"), Map.of(), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("u2"), Map.of(), WorkUnitMeta.DEFAULT);
  }

  @AfterEach
  void tearDown() {
    servers.forEach(AdminServer::close);
    coordinate.close();
  }

  private AdminServer start(AdminServer.Settings settings) {
    AdminServer server = new AdminServer(settings);
    servers.add(server);
    return server.start();
  }

  private AdminServer open() {
    return start(AdminServer.Settings.loopback(coordinate));
  }

  private AdminServer withToken() {
    return start(AdminServer.Settings.loopback(coordinate).withAdminToken(TOKEN));
  }

  private static Answer call(AdminServer server, String method, String path, String body,
      String authorization) throws IOException, InterruptedException {
    return TestHttp.call(server.port(), method, path, body, authorization);
  }

  private static Answer get(AdminServer server, String path) throws Exception {
    return call(server, "GET", path, null, null);
  }

  private static void assertError(Answer a, int status, String code) {
    TestHttp.assertError(a, status, code);
  }

  @Test
  void healthAndReadinessAnswerOk() throws Exception {
    AdminServer server = open();
    Answer health = get(server, "/healthz");
    Answer ready = get(server, "/readyz");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body()).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo(JSON.readTree("{\"status\":\"ok\"}"));
  }

  @Test
  void metricsAre404UnlessEnabledThenTheSuppliedScrape() throws Exception {
    assertError(get(open(), "/metrics"), 404, "not_found");
    String scrape = "# TYPE coordinate_up gauge\ncoordinate_up 1\n";
    Answer a = get(start(AdminServer.Settings.loopback(coordinate).withMetrics(() -> scrape)),
        "/metrics");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.raw().headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(a.raw().body()).isEqualTo(scrape);
  }

  @Test
  void listsNamespacesAndWorkSpecs() throws Exception {
    coordinate.namespace("ns2");
    AdminServer server = open();
    Answer namespaces = get(server, "/api/v1/namespaces");
    Answer specs = get(server, "/api/v1/namespaces/ns1/work-specs");
    assertThat(namespaces.status()).isEqualTo(200);
    assertThat(namespaces.body()).isEqualTo(JSON.readTree("{\"namespaces\":[\"ns1\",\"ns2\"]}"));
    assertThat(specs.status()).isEqualTo(200);
    assertThat(specs.body()).isEqualTo(JSON.readTree("{\"work_specs\":[\"spec1\"]}"));
  }

  @Test
  void showsAWorkSpecWithDefinitionMetaAndCounts() throws Exception {
    AdminServer server = open();
    Answer a = get(server, "/api/v1/namespaces/ns1/work-specs/spec1");
    assertThat(a.status()).isEqualTo(200);
    JsonNode body = a.body();
    assertThat(body.get("name").asText()).isEqualTo("spec1");
    assertThat(body.get("definition")).isEqualTo(JSON.readTree(
        "{\"name\":\"spec1\",\"priority\":2,\"max_running\":7,"
            + "\"blob\":{\"$bytes\":\"AAH/\"},\"pair\":{\"$tuple\":[\"a\",1]}}"));
    JsonNode meta = body.get("meta");
    assertThat(meta.get("priority").asInt()).isEqualTo(2);
    assertThat(meta.get("weight").asInt()).isEqualTo(20);
    assertThat(meta.get("paused").asBoolean()).isFalse();
    assertThat(meta.get("continuous").asBoolean()).isFalse();
    assertThat(meta.get("max_running").asInt()).isEqualTo(7);
    assertThat(meta.get("max_getwork").asInt()).isZero();
    assertThat(meta.get("max_retries").asInt()).isZero();
    assertThat(meta.get("interval").asDouble()).isZero();
    assertThat(meta.get("next_continuous").asText()).isEqualTo("1970-01-01T00:00:00Z");
    assertThat(body.get("counts")).isEqualTo(JSON.readTree(
        "{\"available\":2,\"pending\":0,\"finished\":0,\"failed\":0,\"delayed\":0}"));
  }

  @Test
  void missingNamespaceIs404AndIsNotCreated() throws Exception {
    AdminServer server = open();
    assertError(get(server, "/api/v1/namespaces/nope/work-specs"), 404, "no_such_namespace");
    assertError(get(server, "/api/v1/namespaces/nope/work-specs/spec1"), 404, "no_such_namespace");
    assertError(
        call(server, "PATCH", "/api/v1/namespaces/nope/work-specs/spec1/meta", "{\"paused\":true}",
            null),
        404, "no_such_namespace");
    assertThat(coordinate.namespaceNames()).containsExactly("ns1");
  }

  @Test
  void missingWorkSpecIs404() throws Exception {
    AdminServer server = open();
    Answer a = get(server, "/api/v1/namespaces/ns1/work-specs/nope");
    assertError(a, 404, "no_such_work_spec");
    assertThat(a.body().get("message").asText()).contains("nope");
  }

  @Test
  void unknownRouteIs404InTheErrorShape() throws Exception {
    assertError(get(open(), "/api/v1/nothing-here"), 404, "not_found");
  }

  @Test
  void patchChangesTheMetaAndReturnsIt() throws Exception {
    AdminServer server = withToken();
    Answer a = call(server, "PATCH", "/api/v1/namespaces/ns1/work-specs/spec1/meta",
        "{\"paused\": true, \"priority\": 5, \"weight\": 3, \"max_running\": 2,"
            + " \"max_getwork\": 4, \"max_retries\": 6, \"interval\": 1.5}",
        "Bearer " + TOKEN);
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.body().get("paused").asBoolean()).isTrue();
    assertThat(a.body().get("priority").asInt()).isEqualTo(5);
    assertThat(a.body().get("max_getwork").asInt()).isEqualTo(4);
    var meta = spec.meta(false);
    assertThat(meta.paused()).isTrue();
    assertThat(meta.priority()).isEqualTo(5);
    assertThat(meta.weight()).isEqualTo(3);
    assertThat(meta.maxRunning()).isEqualTo(2);
    assertThat(meta.maxAttemptsReturned()).isEqualTo(4);
    assertThat(meta.maxRetries()).isEqualTo(6);
    assertThat(meta.interval().toMillis()).isEqualTo(1500);
  }

  @Test
  void patchWithoutConfiguredTokenIsOpenOnLoopback() throws Exception {
    Answer a = call(open(), "PATCH", "/api/v1/namespaces/ns1/work-specs/spec1/meta",
        "{\"paused\": true}", null);
    assertThat(a.status()).isEqualTo(200);
    assertThat(spec.meta(false).paused()).isTrue();
  }

  @Test
  void malformedPatchBodiesAre400AndChangeNothing() throws Exception {
    AdminServer server = open();
    String path = "/api/v1/namespaces/ns1/work-specs/spec1/meta";
    Map<String, String> bodies = new LinkedHashMap<>();
    bodies.put("{\"paused\": ", "malformed_body");
    bodies.put("", "malformed_body");
    bodies.put("[1]", "malformed_body");
    bodies.put("{\"paused\": true} {}", "malformed_body");
    bodies.put("{\"pasued\": true, \"priority\": 9}", "malformed_body");
    bodies.put("{\"priority\": \"high\"}", "malformed_body");
    bodies.put("{\"priority\": 1.5}", "malformed_body");
    bodies.put("{\"paused\": 1}", "malformed_body");
    bodies.put("{\"priority\": 9, \"paused\": null}", "malformed_body");
    bodies.put("{\"weight\": -1}", "invalid_request");
    bodies.put("{\"continuous\": true}", "invalid_request");
    bodies.put("{\"interval\": -2}", "invalid_request");
    for (var e : bodies.entrySet()) {
      Answer a = call(server, "PATCH", path, e.getKey(), null);
      assertThat(a.status()).as(e.getKey()).isEqualTo(400);
      assertError(a, 400, e.getValue());
    }
    Answer unknown = call(server, "PATCH", path, "{\"pasued\": true}", null);
    assertThat(unknown.body().get("message").asText()).isEqualTo("unknown field \"pasued\"");
    assertThat(spec.meta(false).priority()).isEqualTo(2);
    assertThat(spec.meta(false).paused()).isFalse();
  }

  @Test
  void patchNeedsTheTokenWhenOneIsSet() throws Exception {
    AdminServer server = withToken();
    String path = "/api/v1/namespaces/ns1/work-specs/spec1/meta";
    for (String auth : new String[] {null, "Bearer wrong", "Bearer " + TOKEN + "x", "Basic abc",
        TOKEN, "Bearer "}) {
      Answer a = call(server, "PATCH", path, "{\"paused\": true}", auth);
      assertError(a, 401, "unauthorized");
      assertThat(a.body().get("message").asText()).isEqualTo("a valid bearer token is required");
      assertThat(a.raw().headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    }
    assertThat(spec.meta(false).paused()).isFalse();
  }

  @Test
  void readsNeedNoTokenOnLoopback() throws Exception {
    AdminServer server = withToken();
    assertThat(get(server, "/api/v1/namespaces").status()).isEqualTo(200);
    assertThat(get(server, "/api/v1/namespaces/ns1/work-specs/spec1").status()).isEqualTo(200);
  }

  @Test
  void refusesANonLoopbackAddressWithoutAToken() {
    AdminServer server =
        new AdminServer(AdminServer.Settings.loopback(coordinate).withAddress("0.0.0.0", 0));
    servers.add(server);
    assertThatThrownBy(server::start)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0.0.0.0")
        .hasMessageContaining("token");
    assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void onANonLoopbackAddressEveryRequestNeedsTheToken() throws Exception {
    AdminServer server = start(
        AdminServer.Settings.loopback(coordinate).withAddress("0.0.0.0", 0).withAdminToken(TOKEN));
    assertError(get(server, "/api/v1/namespaces"), 401, "unauthorized");
    assertError(get(server, "/readyz"), 401, "unauthorized");
    assertError(call(server, "GET", "/api/v1/namespaces", null, "Bearer nope"), 401,
        "unauthorized");
    Answer ok = call(server, "GET", "/api/v1/namespaces", null, "Bearer " + TOKEN);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().get("namespaces").get(0).asText()).isEqualTo("ns1");
  }

  @Test
  void settingsRejectNonsense() {
    var base = AdminServer.Settings.loopback(coordinate);
    assertThatThrownBy(() -> base.withAddress("127.0.0.1", 70000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.withAdminToken(" "))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> base.withAddress(" ", 0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
