package io.coordinate.rpc;

import io.coordinate.api.UnitEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Unit events as Micrometer counters, one per transition and work spec: {@code
 * coordinate.units.leased}, {@code .finished}, {@code .failed}, {@code .retried} and {@code
 * .expired}, tagged {@code namespace} and {@code work_spec} (see {@link UnitEvents} for what each
 * counts). Give it to the backend, which tells it of every transition whichever front end caused
 * it:
 *
 * <pre>{@code
 * MeterRegistry registry = ...;
 * Coordinate backend = MemoryCoordinate.create(Clock.systemUTC(), new MeteredUnitEvents(registry));
 * }</pre>
 *
 * <p>A spec's counters (one per transition) are registered together the first time anything happens
 * to it, so each starts from zero in the registry; after that an event is two map look-ups and an
 * add.
 * Counters of deleted specs stay (counters never go back).
 */
public final class MeteredUnitEvents implements UnitEvents {
  /** The prefix of the counter names; the transition's name, in lower case, follows. */
  public static final String PREFIX = "coordinate.units.";

  private static final Transition[] TRANSITIONS = Transition.values();

  private final MeterRegistry registry;
  /** namespace → work spec → one counter per transition, by ordinal. */
  private final Map<String, Map<String, Counter[]>> counters = new ConcurrentHashMap<>();

  public MeteredUnitEvents(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The counter name of {@code transition}, as registered (before a registry's own naming). */
  public static String meterName(Transition transition) {
    return PREFIX + transition.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public void record(String namespace, String workSpec, Transition transition, int units) {
    counters
        .computeIfAbsent(namespace, n -> new ConcurrentHashMap<>())
        .computeIfAbsent(workSpec, s -> register(namespace, s))[transition.ordinal()]
        .increment(units);
  }

  private Counter[] register(String namespace, String workSpec) {
    Counter[] bySpec = new Counter[TRANSITIONS.length];
    for (Transition t : TRANSITIONS) {
      bySpec[t.ordinal()] =
          Counter.builder(meterName(t))
              .description("work units " + t.name().toLowerCase(Locale.ROOT) + ", per work spec")
              .tag("namespace", namespace)
              .tag("work_spec", workSpec)
              .register(registry);
    }
    return bySpec;
  }
}
