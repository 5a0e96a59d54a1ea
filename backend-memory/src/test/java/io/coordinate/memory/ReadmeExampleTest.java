package io.coordinate.memory;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run; the README must show exactly this code. */
class ReadmeExampleTest {

  static List<String> example() {
    // README-EXAMPLE-BEGIN
    try (Coordinate coordinate = MemoryCoordinate.create()) {
      Namespace ns = coordinate.namespace("");
      WorkSpec spec = ns.setWorkSpec(Map.of("name", "fetch", "then", "parse"));
      ns.setWorkSpec(Map.of("name", "parse"));
      spec.addWorkUnits(List.of(
          NewWorkUnit.of("https://example.com/a", Map.of("depth", 1)),
          NewWorkUnit.of("https://example.com/b", Map.of("depth", 1))));

      Worker worker = ns.worker("worker-1");
      for (Attempt attempt : worker.requestAttempts(AttemptRequest.of(10))) {
        String url = attempt.workUnit().key().toUtf8();
        // ... do the work, then report it; "output" chains into the "parse" spec
        attempt.finish(Map.of("output", List.of(url + "#page")));
      }
      System.out.println(spec.countWorkUnitStatus().get(WorkUnitStatus.FINISHED)); // 2
      return ns.workSpec("parse").workUnits(WorkUnitQuery.all()).stream()
          .map(unit -> unit.key().toString())
          .toList(); // [https://example.com/a#page, https://example.com/b#page]
    }
    // README-EXAMPLE-END
  }

  @Test
  void exampleRunsAndChains() {
    assertThat(example())
        .containsExactly("https://example.com/a#page", "https://example.com/b#page");
  }

  @Test
  void readmeShowsThisExample() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/io/coordinate/memory/ReadmeExampleTest.java"));
    String body =
        source.substring(
            source.indexOf("// README-EXAMPLE-BEGIN") + "// README-EXAMPLE-BEGIN".length(),
            source.indexOf("    // README-EXAMPLE-END"));
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(normalize(readme)).contains(normalize(body));
  }

  /** Compares code by its lines, ignoring indentation. */
  private static String normalize(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).reduce("", (a, b) -> a + b + "\n");
  }
}
