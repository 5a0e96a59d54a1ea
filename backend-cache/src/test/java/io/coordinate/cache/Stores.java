package io.coordinate.cache;

import io.coordinate.api.Coordinate;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A cache over each kind of store, and a second, uncached backend on the same data: another process
 * on the same database, which changes things behind the cache's back. Everything opened is closed
 * after the test.
 */
final class Stores implements AfterEachCallback {
  enum Kind {
    MEMORY,
    H2,
    POSTGRESQL
  }

  /** The cache under test and an uncached backend on the same data. */
  record Opened(CachingCoordinate cached, Coordinate behind) {}

  private final PostgresSchemas schemas = new PostgresSchemas();
  private final List<Coordinate> opened = new ArrayList<>();

  Opened open(Kind kind) {
    Coordinate backend;
    Coordinate behind;
    switch (kind) {
      case MEMORY -> {
        backend = MemoryCoordinate.create();
        behind = backend; // the wrapped backend itself is the only other way in
      }
      case H2 -> {
        SqlConfig config = SqlConfig.h2Memory("cache-" + UUID.randomUUID()).withPoolSize(8);
        backend = SqlCoordinate.open(config);
        behind = SqlCoordinate.open(config);
      }
      case POSTGRESQL -> {
        String url = System.getenv(PostgresSchemas.URL_VARIABLE);
        Assumptions.assumeTrue(url != null && !url.isBlank(), PostgresSchemas.URL_VARIABLE + " unset");
        SqlConfig config = schemas.newSchema().withPoolSize(8);
        backend = SqlCoordinate.open(config);
        behind = SqlCoordinate.open(config);
      }
      default -> throw new IllegalArgumentException(kind.name());
    }
    CachingCoordinate cached = CachingCoordinate.wrap(backend, CacheSettings.DEFAULT);
    opened.add(cached);
    if (behind != backend) {
      opened.add(behind);
    }
    return new Opened(cached, behind);
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    opened.forEach(Coordinate::close);
    opened.clear();
    schemas.afterEach(context);
  }
}
