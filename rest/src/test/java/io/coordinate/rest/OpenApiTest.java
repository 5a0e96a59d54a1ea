package io.coordinate.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.TestHttp.Answer;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /openapi.json} describes exactly the routes the server answers. */
class OpenApiTest {
  private static final Pattern PATH_PARAMETER = Pattern.compile("\\{(\\w+)}");

  @Test
  void theDocumentListsEveryRouteAndNoOther() throws Exception {
    var coordinate = MemoryCoordinate.create();
    try (AdminServer server = new AdminServer(AdminServer.Settings.loopback(coordinate)).start()) {
      Answer answer = TestHttp.call(server.port(), "GET", "/openapi.json", null, null);
      assertThat(answer.status()).isEqualTo(200);
      JsonNode doc = answer.body();
      assertThat(doc.get("openapi").asText()).startsWith("3.");

      Set<String> documented = new TreeSet<>();
      doc.get("paths").fields().forEachRemaining(
          path -> path.getValue().fieldNames().forEachRemaining(
              method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
      Set<String> served = new TreeSet<>();
      AdminRoutes routes = new AdminRoutes(
          coordinate, Json.mapper(), java.util.Optional.empty(), java.time.Clock.systemUTC(),
          java.time.Duration.ofSeconds(30));
      for (AdminRoutes.Route r : routes.routes()) {
        served.add(r.method().name() + " " + r.path());
      }
      assertThat(documented).isEqualTo(served);

      // Every path parameter of a route is declared in the document.
      doc.get("paths").fields().forEachRemaining(
          path -> path.getValue().fields().forEachRemaining(op -> {
            Set<String> declared = new TreeSet<>();
            JsonNode params = op.getValue().get("parameters");
            if (params != null) {
              params.forEach(p -> {
                if (p.get("in").asText().equals("path")) {
                  declared.add(p.get("name").asText());
                }
              });
            }
            Set<String> inPath = new TreeSet<>();
            var m = PATH_PARAMETER.matcher(path.getKey());
            while (m.find()) {
              inPath.add(m.group(1));
            }
            assertThat(declared).as("path parameters of %s %s", op.getKey(), path.getKey())
                .isEqualTo(inPath);
          }));
    } finally {
      coordinate.close();
    }
  }
}
