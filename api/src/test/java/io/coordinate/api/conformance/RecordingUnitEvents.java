package io.coordinate.api.conformance;

import io.coordinate.api.UnitEvents;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** A {@link UnitEvents} that adds up what it is told, per namespace, work spec and transition. */
public final class RecordingUnitEvents implements UnitEvents {
  private record Key(String namespace, String workSpec, Transition transition) {}

  private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

  @Override
  public void record(String namespace, String workSpec, Transition transition, int units) {
    if (units < 1) {
      throw new AssertionError(
          "told of " + units + " " + transition + " units of " + namespace + "/" + workSpec);
    }
    counts
        .computeIfAbsent(new Key(namespace, workSpec, transition), k -> new LongAdder())
        .add(units);
  }

  /** How many units of {@code workSpec} in {@code namespace} went through {@code transition}. */
  public long count(String namespace, String workSpec, Transition transition) {
    LongAdder n = counts.get(new Key(namespace, workSpec, transition));
    return n == null ? 0 : n.sum();
  }

  /** The counts of one spec, every transition included (zero where nothing was told). */
  public Map<Transition, Long> countsOf(String namespace, String workSpec) {
    Map<Transition, Long> result = new java.util.EnumMap<>(Transition.class);
    for (Transition t : Transition.values()) {
      result.put(t, count(namespace, workSpec, t));
    }
    return result;
  }

  /** How many units went through {@code transition} in all namespaces and specs. */
  public long total(Transition transition) {
    return counts.entrySet().stream()
        .filter(e -> e.getKey().transition() == transition)
        .mapToLong(e -> e.getValue().sum())
        .sum();
  }
}
