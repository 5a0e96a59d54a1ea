package io.coordinate.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.rest.AdminServer;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's remote client example compiles, runs against a served backend, and is quoted. */
class ReadmeRemoteExampleTest {
  static long example(URI daemon, String token) {
    // README-REMOTE-EXAMPLE-BEGIN
    try (Coordinate coordinate = RemoteCoordinate.connect(
        RemoteCoordinate.Settings.of(daemon)            // e.g. http://127.0.0.1:5980
            .withAdminToken(token))) {                  // needed for changes when set
      Namespace ns = coordinate.namespace("");
      WorkSpec spec = ns.setWorkSpec(Map.of("name", "fetch"));
      spec.addWorkUnits(List.of(NewWorkUnit.of("https://example.com/a", Map.of())));
      Worker worker = ns.worker("java-worker-1");
      for (Attempt attempt : worker.requestAttempts(AttemptRequest.of(10))) {
        attempt.finish(Map.of("status_code", 200));
      }
      return spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED); // 1
    }
    // README-REMOTE-EXAMPLE-END
  }

  @Test
  void theExampleLeasesAndFinishesThroughTheDaemon() {
    try (MemoryCoordinate backend = MemoryCoordinate.create();
        AdminServer server =
            new AdminServer(AdminServer.Settings.loopback(backend).withAdminToken("s3cret"))
                .start()) {
      assertThat(example(Served.url(server), "s3cret")).isEqualTo(1);
      assertThat(backend.namespace("").workSpec("fetch").countWorkUnitStatus()
          .get(WorkUnitStatus.FINISHED)).isEqualTo(1);
    }
  }

  @Test
  void readmeShowsThisExample() throws IOException {
    String source = Files.readString(
        Path.of("src/test/java/io/coordinate/client/ReadmeRemoteExampleTest.java"));
    String begin = "// README-REMOTE-EXAMPLE-BEGIN";
    String body = source.substring(source.indexOf(begin) + begin.length(),
        source.indexOf("    // README-REMOTE-EXAMPLE-END"));
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(normalize(readme)).contains(normalize(body));
  }

  /** Compares code by its lines, ignoring indentation. */
  private static String normalize(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty())
        .collect(Collectors.joining("\n"));
  }
}
