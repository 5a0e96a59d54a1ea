package io.coordinate.rpc;

import io.coordinate.api.retention.RetentionSweeper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Units deleted by retention as a Micrometer counter, {@code coordinate.units.archived}, tagged
 * {@code namespace} and {@code work_spec}: a {@link RetentionSweeper.Listener} for the CBOR-RPC
 * {@code archive} call and the daemon's sweeper alike (both register the same counters, so a
 * registry shared by the two counts each unit once). Counters of deleted specs stay.
 */
public final class ArchiveCounter implements RetentionSweeper.Listener {
  /** The counter's name (before a registry's own naming). */
  public static final String NAME = MeteredUnitEvents.PREFIX + "archived";

  private final MeterRegistry registry;

  public ArchiveCounter(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void archived(String namespace, String workSpec, int units) {
    // The registry finds the counter already registered under these tags; archiving is rare
    // and in batches, so the look-up costs nothing that matters.
    Counter.builder(NAME)
        .description("work units deleted by retention, per work spec")
        .tag("namespace", namespace)
        .tag("work_spec", workSpec)
        .register(registry)
        .increment(units);
  }
}
