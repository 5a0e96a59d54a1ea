package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryFile;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzes the JSON request bodies of the admin API, through the routes that read them, on an admin
 * server in this process over the in-memory backend. The first byte of an input picks the route
 * (letter {@code A} the first, see {@link #ROUTES}); the rest is the body, sent as it is. Every
 * answer must be a success or an error the client caused (4xx, or the 503 of maintenance mode),
 * in the JSON error form; a 500 is a bug.
 *
 * <p>Each input meets the same state: namespace {@code ns} with work spec {@code s}, units {@code
 * u1} (leased by worker {@code w}: attempt 0) and {@code u2}, and workers {@code w} and {@code p}.
 * The routes that change the queue run on a server whose store is out of maintenance mode; the
 * restore and import routes, which need it, and the maintenance switch run on a second one whose
 * store stays in it.
 *
 * <p>Seeds ({@code RestBodyFuzzTestInputs/body}): a valid body for each route, named after it,
 * and a few malformed ones. {@code scripts/fuzz rest} fuzzes.
 */
class RestBodyFuzzTest {
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2024-01-31T12:00:00Z"), ZoneOffset.UTC);
  private static final String NS = "/api/v1/namespaces/ns";
  private static final String SPEC = NS + "/work-specs/s";
  private static final String U1 = SPEC + "/work-units/dTE";
  private static final String U2 = SPEC + "/work-units/dTI";

  /** A route that reads a body; {@code maintenance}: served by the store in maintenance mode. */
  record Route(String method, String path, boolean maintenance) {}

  static final List<Route> ROUTES =
      List.of(
          new Route("POST", NS + "/work-specs", false), // A
          new Route("PUT", SPEC + "/definition", false), // B
          new Route("PATCH", SPEC + "/meta", false), // C
          new Route("POST", SPEC + "/work-units", false), // D
          new Route("POST", SPEC + "/work-units/priority?status=available", false), // E
          new Route("PUT", U2 + "/meta", false), // F
          new Route("PATCH", U2 + "/meta", false), // G
          new Route("POST", U2 + "/attempts", false), // H
          new Route("POST", U1 + "/attempts/0/renew", false), // I
          new Route("POST", U1 + "/attempts/0/expire", false), // J
          new Route("POST", U1 + "/attempts/0/finish", false), // K
          new Route("POST", U1 + "/attempts/0/fail?worker=w", false), // L
          new Route("POST", U1 + "/attempts/0/retry", false), // M
          new Route("PUT", NS + "/workers/w/parent", false), // N
          new Route("POST", NS + "/workers/w/heartbeat", false), // O
          new Route("POST", NS + "/workers/w/work", false), // P
          new Route("PUT", "/api/v1/maintenance", true), // Q
          new Route("POST", SPEC + "/restore", true), // R
          new Route("POST", NS + "/import?position=1", true)); // S

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private static Server normal;
  private static Server maintenance;

  /** A backend and an admin server over it. */
  private record Server(Coordinate coordinate, AdminServer admin) {
    static Server start(boolean maintenance) {
      Coordinate coordinate = MemoryCoordinate.create(CLOCK);
      coordinate.setMaintenance(maintenance, maintenance ? "fuzzing" : "");
      AdminServer admin =
          new AdminServer(AdminServer.Settings.loopback(coordinate).withClock(CLOCK)).start();
      return new Server(coordinate, admin);
    }

    void close() {
      admin.close();
      coordinate.close();
    }
  }

  @BeforeAll
  static void startServers() {
    normal = Server.start(false);
    maintenance = Server.start(true);
  }

  @AfterAll
  static void stopServers() {
    normal.close();
    maintenance.close();
  }

  /**
   * The seeds are what they say: each valid body succeeds on its route, each malformed one is a
   * client error. (The fuzz test itself only checks that no input is a server error; the inputs
   * of its findings, {@code crash-*}, are left to it.)
   */
  @Test
  void seedsAreValidBodiesOrClientErrors() throws Exception {
    Path seeds = Path.of(RestBodyFuzzTest.class.getResource("RestBodyFuzzTestInputs/body").toURI());
    List<Path> files;
    try (Stream<Path> list = Files.list(seeds)) {
      files = list.filter(f -> !f.getFileName().toString().startsWith("crash-")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThan(ROUTES.size());
    for (Path seed : files) {
      int status = answer(Files.readAllBytes(seed)).statusCode();
      if (seed.getFileName().toString().startsWith("malformed-")) {
        assertThat(status).as("%s", seed.getFileName()).isBetween(400, 499);
      } else {
        assertThat(status).as("%s", seed.getFileName()).isBetween(200, 299);
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  @DictionaryFile(resourcePath = "rest-json.dict")
  @Timeout(value = 20, unit = TimeUnit.SECONDS)
  void body(byte[] input) throws IOException, InterruptedException {
    if (input.length == 0) {
      return;
    }
    HttpResponse<String> answer = answer(input);
    assertThat(answer.statusCode())
        .as("%s answered %s", route(input), answer.body())
        .isNotEqualTo(500);
    if (answer.statusCode() >= 400) {
      JsonNode error = JSON.readTree(answer.body());
      assertThat(error.path("code").asText()).isNotEqualTo("internal_error").isNotEmpty();
      assertThat(error.path("message").asText()).isNotEmpty();
    }
  }

  /** The answer to {@code input}'s body on its route, over the fixture, which is reset after. */
  private static HttpResponse<String> answer(byte[] input)
      throws IOException, InterruptedException {
    Route route = route(input);
    Server server = route.maintenance() ? maintenance : normal;
    Namespace ns = fixture(server.coordinate());
    try {
      return send(server, route, Arrays.copyOfRange(input, 1, input.length));
    } finally {
      ns.destroy();
      // The maintenance switch may have been turned by the input: set it back.
      server.coordinate().setMaintenance(route.maintenance(), route.maintenance() ? "fuzzing" : "");
    }
  }

  /** The route an input's first byte picks. */
  private static Route route(byte[] input) {
    return ROUTES.get(Math.floorMod(input[0] - 'A', ROUTES.size()));
  }

  /** Namespace {@code ns} as every input finds it. */
  private static Namespace fixture(Coordinate coordinate) {
    Namespace ns = coordinate.namespace("ns");
    WorkSpec spec = ns.setWorkSpec(Map.of("name", "s", "module", "m", "run_function", "f"));
    spec.addWorkUnit(WorkUnitKey.of("u1"), Map.of("n", 1L), WorkUnitMeta.DEFAULT);
    spec.addWorkUnit(WorkUnitKey.of("u2"), Map.of("n", 2L), WorkUnitMeta.DEFAULT);
    ns.worker("p");
    ns.worker("w").makeAttempt(spec.workUnit(WorkUnitKey.of("u1")), Duration.ofMinutes(5));
    return ns;
  }

  private static HttpResponse<String> send(Server server, Route route, byte[] body)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.admin().port() + route.path()))
            .method(route.method(), HttpRequest.BodyPublishers.ofByteArray(body))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(15))
            .build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }
}
