package io.coordinate.daemon;

import io.coordinate.api.UnitEvents;
import io.coordinate.rpc.MeteredUnitEvents;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The daemon's one meter registry, served at {@code /metrics} in the Prometheus text format: the
 * parts register their own meters in it (the CBOR-RPC server, the backend's unit counters through
 * {@link #unitEvents()}, the SQL connection pool, the cache), and this adds the JVM's and the
 * process's. Every meter reads a counter or a bean; a scrape counts no work units, so it costs the
 * same with a million queued as with none (docs/metrics.md lists them all).
 */
public final class DaemonMetrics implements AutoCloseable {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final UnitEvents unitEvents = new MeteredUnitEvents(registry);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  DaemonMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
  }

  /** The registry every part of the daemon registers its meters in. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** What the backend tells of leases, results and expiries: the per-spec unit counters. */
  UnitEvents unitEvents() {
    return unitEvents;
  }

  /** The Prometheus text exposition (format 0.0.4) of every meter. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close(); // stops listening for GC notifications
    registry.close();
  }
}
