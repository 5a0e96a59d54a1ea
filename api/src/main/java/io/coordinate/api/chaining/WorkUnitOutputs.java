package io.coordinate.api.chaining;

import io.coordinate.api.CoordinateException;
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
 * priority unless the output says otherwise; a {@code null} data, meta, priority or delay counts as
 * absent. An item that fits none of the forms is skipped: a key that is not a string, a list of fewer
 * than two elements, data or meta that is not a map, a priority or delay that is not a number, or
 * data the data model cannot hold. A worker's malformed output must not turn its successful finish
 * into an error, so {@link #parse} never throws for any output value.
 */
public final class WorkUnitOutputs {
  private WorkUnitOutputs() {}

  /**
   * The units an {@code output} value asks for, in the order the output lists them.
   *
   * @param output the {@code output} value of the finished attempt's data (may be {@code null})
   * @param inheritedPriority the finished unit's priority
   * @param now the finish time, for delays
   */
  public static List<NewWorkUnit> parse(Object output, double inheritedPriority, Instant now) {
    List<NewWorkUnit> units = new ArrayList<>();
    if (output instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        addIfValid(units, e.getKey(), e.getValue(), inheritedPriority, null);
      }
    } else if (output instanceof List<?> || output instanceof Tuple) {
      for (Object item : items(output)) {
        item(units, item, inheritedPriority, now);
      }
    }
    return units;
  }

  private static void item(
      List<NewWorkUnit> units, Object item, double inheritedPriority, Instant now) {
    if (key(item) != null) {
      addIfValid(units, item, null, inheritedPriority, null);
      return;
    }
    if (!(item instanceof List<?> || item instanceof Tuple)) {
      return;
    }
    List<?> parts = items(item);
    // Both references require the data element: a bare [key] is not one of the forms.
    if (parts.size() < 2) {
      return;
    }
    double priority = inheritedPriority;
    Instant notBefore = null;
    Object meta = parts.size() > 2 ? parts.get(2) : null;
    if (meta instanceof Map<?, ?> metaMap) {
      Object rawPriority = get(metaMap, "priority");
      if (rawPriority != null) {
        Double p = number(rawPriority);
        if (p == null) {
          return;
        }
        priority = p;
      }
      Object rawDelay = get(metaMap, "delay");
      if (rawDelay != null) {
        Double delay = number(rawDelay);
        if (delay == null) {
          return;
        }
        if (delay > 0) {
          // Math.round saturates, so an absurd delay becomes "centuries", not an overflow.
          notBefore = now.plus(Duration.ofNanos(Math.round(delay * 1e9)));
        }
      }
    } else if (meta != null) {
      return;
    }
    Object explicit = parts.size() > 3 ? parts.get(3) : null;
    if (explicit != null) {
      Double p = number(explicit);
      if (p == null) {
        return;
      }
      priority = p;
    }
    addIfValid(units, parts.get(0), parts.get(1), priority, notBefore);
  }

  /** Adds the unit unless its key or data is unusable. */
  @SuppressWarnings("unchecked")
  private static void addIfValid(
      List<NewWorkUnit> units, Object rawKey, Object rawData, double priority, Instant notBefore) {
    WorkUnitKey key = key(rawKey);
    if (key == null) {
      return;
    }
    Map<String, Object> data;
    if (rawData == null) {
      data = Map.of();
    } else if (rawData instanceof Map<?, ?> m) {
      data = (Map<String, Object>) m; // checked by NewWorkUnit's copy below
    } else {
      return;
    }
    try {
      units.add(new NewWorkUnit(key, data, new WorkUnitMeta(priority, notBefore)));
    } catch (CoordinateException | ClassCastException e) {
      // Data the model cannot hold (a non-string map key, an unsupported value): skip the item.
    }
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
    if (o instanceof byte[] b) {
      return WorkUnitKey.of(b);
    }
    return null;
  }

  /** A meta value by name; Python 2 workers may send the name as a byte string. */
  private static Object get(Map<?, ?> map, String name) {
    // A scan rather than get(): meta maps are tiny, and a sorted map would reject a foreign key type.
    ByteString bytes = ByteString.utf8(name);
    for (Map.Entry<?, ?> e : map.entrySet()) {
      if (name.equals(e.getKey()) || bytes.equals(e.getKey())) {
        return e.getValue();
      }
    }
    return null;
  }

  /** The value as a double, or {@code null} when it is not a number (booleans and NaN are not). */
  private static Double number(Object o) {
    if (o instanceof Number n) {
      double d = n.doubleValue();
      return Double.isNaN(d) ? null : d;
    }
    return null;
  }
}
