package io.coordinate.api.chaining;

import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.data.ByteString;
import io.coordinate.api.data.Tuple;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns the {@code output} of a successfully finished unit into units of the {@code then} spec. Three
 * forms, as the Python worker writes them:
 *
 * <ul>
 *   <li>a map of key → data;
 *   <li>a list of keys;
 *   <li>a list of {@code [key, data, meta?, priority?]} lists (or tuples), where meta may hold {@code
 *       priority} and {@code delay} (seconds) and an explicit fourth element overrides meta's
 *       priority.
 * </ul>
 *
 * Keys may be text or byte strings; list forms may be mixed. New units inherit the finished unit's
 * priority unless the output says otherwise. An item that fits none of the forms is skipped: a
 * worker's malformed output must not turn its successful finish into an error.
 */
public final class WorkUnitOutputs {
  private WorkUnitOutputs() {}

  /**
   * The units an {@code output} value asks for.
   *
   * @param output the {@code output} value of the finished attempt's data (may be {@code null})
   * @param inheritedPriority the finished unit's priority
   * @param now the finish time, for delays
   */
  public static List<NewWorkUnit> parse(Object output, double inheritedPriority, Instant now) {
    List<NewWorkUnit> units = new ArrayList<>();
    if (output instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        WorkUnitKey key = key(e.getKey());
        if (key != null) {
          units.add(
              new NewWorkUnit(key, dataOf(e.getValue()), WorkUnitMeta.ofPriority(inheritedPriority)));
        }
      }
    } else if (output instanceof List<?> || output instanceof Tuple) {
      for (Object item : items(output)) {
        NewWorkUnit unit = item(item, inheritedPriority, now);
        if (unit != null) {
          units.add(unit);
        }
      }
    }
    return units;
  }

  private static NewWorkUnit item(Object item, double inheritedPriority, Instant now) {
    WorkUnitKey plainKey = key(item);
    if (plainKey != null) {
      return new NewWorkUnit(plainKey, Map.of(), WorkUnitMeta.ofPriority(inheritedPriority));
    }
    if (!(item instanceof List<?> || item instanceof Tuple)) {
      return null;
    }
    List<?> parts = items(item);
    if (parts.isEmpty()) {
      return null;
    }
    WorkUnitKey key = key(parts.get(0));
    if (key == null) {
      return null;
    }
    Map<String, Object> data = parts.size() > 1 ? dataOf(parts.get(1)) : Map.of();
    double priority = inheritedPriority;
    Instant notBefore = null;
    if (parts.size() > 2 && parts.get(2) instanceof Map<?, ?> meta) {
      Double metaPriority = number(meta.get("priority"));
      if (metaPriority != null) {
        priority = metaPriority;
      }
      Double delay = number(meta.get("delay"));
      if (delay != null && delay > 0) {
        notBefore = now.plus(Duration.ofNanos(Math.round(delay * 1e9)));
      }
    }
    if (parts.size() > 3) {
      Double explicit = number(parts.get(3));
      if (explicit != null) {
        priority = explicit;
      }
    }
    return new NewWorkUnit(key, data, new WorkUnitMeta(priority, notBefore));
  }

  private static List<?> items(Object listOrTuple) {
    return listOrTuple instanceof Tuple t ? t.items() : (List<?>) listOrTuple;
  }

  private static WorkUnitKey key(Object o) {
    if (o instanceof String s) {
      return WorkUnitKey.of(s);
    }
    if (o instanceof ByteString b) {
      return new WorkUnitKey(b);
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> dataOf(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static Double number(Object o) {
    if (o instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? null : d;
    }
    return null;
  }
}
