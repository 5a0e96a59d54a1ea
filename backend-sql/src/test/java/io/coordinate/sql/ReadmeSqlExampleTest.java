package io.coordinate.sql;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Coordinate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's SQL backend example compiles (it names a database that does not exist, so it is not
 * run) and the README shows exactly this code.
 */
class ReadmeSqlExampleTest {

  @SuppressWarnings("unused")
  static List<Coordinate> example() {
    // README-SQL-EXAMPLE-BEGIN
    Coordinate local = SqlCoordinate.open("coordinate-data");  // a directory: H2 file store
    Coordinate shared = SqlCoordinate.open(
        SqlConfig.of("postgres://coordinate:secret@db.example:5432/jobs")  // or jdbc:postgresql:
            .withSchema("coordinate")   // tables in their own schema, created if missing
            .withPoolSize(32)           // connections (default 16, at least 2)
            .withConnectionTimeout(Duration.ofSeconds(2)));  // default 5 s
    // README-SQL-EXAMPLE-END
    return List.of(local, shared);
  }

  @Test
  void readmeShowsThisExample() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/io/coordinate/sql/ReadmeSqlExampleTest.java"));
    String body =
        source.substring(
            source.indexOf("// README-SQL-EXAMPLE-BEGIN") + "// README-SQL-EXAMPLE-BEGIN".length(),
            source.indexOf("    // README-SQL-EXAMPLE-END"));
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(normalize(readme)).contains(normalize(body));
  }

  /** Compares code by its lines, ignoring indentation. */
  private static String normalize(String text) {
    return text.lines()
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .reduce("", (a, b) -> a + b + "\n");
  }
}
