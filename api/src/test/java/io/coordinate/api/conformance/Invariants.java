package io.coordinate.api.conformance;

import io.coordinate.api.Namespace;
import java.time.Instant;

/** Consistency rules every backend keeps at rest; checked after each kit test. */
final class Invariants {
  private Invariants() {}

  static void check(Namespace namespace, Instant now) {}
}
