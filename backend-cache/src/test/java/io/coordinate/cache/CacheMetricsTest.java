package io.coordinate.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.Namespace;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.memory.MemoryCoordinate;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link CachingCoordinate#bindTo}: each cache's hits, misses and size as meters. */
class CacheMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gets(String cache, String result) {
    FunctionCounter counter =
        registry.find("cache.gets").tag("cache", cache).tag("result", result).functionCounter();
    assertThat(counter).as("cache.gets of %s, %s", cache, result).isNotNull();
    return counter.count();
  }

  private double size(String cache) {
    return registry.find("cache.size").tag("cache", cache).gauge().value();
  }

  @Test
  void hitsMissesAndSizesOfEachCacheAreMetered() {
    try (CachingCoordinate cached =
        CachingCoordinate.wrap(MemoryCoordinate.create(), CacheSettings.DEFAULT)) {
      cached.bindTo(registry);
      Namespace ns = cached.namespace("n"); // a miss
      ns.setWorkSpec(Map.of("name", "s"));
      ns.workSpec("s").addWorkUnit(WorkUnitKey.of("u"), Map.of(), null);
      for (int i = 0; i < 3; i++) {
        cached.namespace("n").workSpec("s").workUnit(WorkUnitKey.of("u")); // all hits
      }

      assertThat(gets("namespaces", "miss")).isEqualTo(1);
      assertThat(gets("namespaces", "hit")).isGreaterThanOrEqualTo(3);
      assertThat(gets("work_specs", "hit")).isGreaterThanOrEqualTo(3);
      assertThat(gets("work_units", "hit")).isGreaterThanOrEqualTo(3);
      assertThat(size("namespaces")).isEqualTo(1);
      assertThat(size("work_specs")).isEqualTo(1);
      assertThat(size("work_units")).isEqualTo(1);
      assertThat(size("workers")).isZero();

      // The meters read the same counters as stats(): all four caches add up to it.
      double hits = 0;
      double misses = 0;
      for (String cache : new String[] {"namespaces", "work_specs", "work_units", "workers"}) {
        hits += gets(cache, "hit");
        misses += gets(cache, "miss");
      }
      assertThat((long) hits).isEqualTo(cached.stats().hitCount());
      assertThat((long) misses).isEqualTo(cached.stats().missCount());
    }
  }
}
