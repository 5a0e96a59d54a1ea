package io.coordinate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's caching example compiles, runs, and is quoted exactly. */
class ReadmeCacheExampleTest {
  static CachingCoordinate example(Coordinate shared) {
    // README-CACHE-EXAMPLE-BEGIN
    CachingCoordinate cached = CachingCoordinate.wrap(shared, CacheSettings.DEFAULT
        .withMaximumSize(200_000)                         // handles of each kind (default 100,000)
        .withExpireAfterAccess(Duration.ofMinutes(30)));  // dropped when unused (default 10 min)
    cached.stats().hitRate();                            // Caffeine statistics
    // README-CACHE-EXAMPLE-END
    return cached;
  }

  @Test
  void theExampleCachesLookUps() {
    CachingCoordinate cached = example(MemoryCoordinate.create());
    cached.namespace("n");
    cached.namespace("n");
    assertThat(cached.stats().hitCount()).isEqualTo(1);
    assertThat(cached.stats().missCount()).isEqualTo(1);
    cached.close();
  }

  @Test
  void readmeShowsThisExample() throws IOException {
    String source =
        Files.readString(Path.of("src/test/java/io/coordinate/cache/ReadmeCacheExampleTest.java"));
    String begin = "// README-CACHE-EXAMPLE-BEGIN";
    String body = source.substring(source.indexOf(begin) + begin.length(),
        source.indexOf("    // README-CACHE-EXAMPLE-END"));
    String readme = Files.readString(Path.of("../README.md"));
    assertThat(normalize(readme)).contains(normalize(body));
  }

  /** Compares code by its lines, ignoring indentation. */
  private static String normalize(String text) {
    return text.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
