package io.coordinate.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptRequest;
import io.coordinate.api.GoneException;
import io.coordinate.api.Namespace;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Small helpers shared by the kit's contracts: building definitions and keys, adding units in bulk,
 * leasing work, and reading state back in a form that is easy to assert on. Every helper works only
 * through the public API, so it behaves the same on every backend. Signatures are stable: contracts
 * written by different people depend on them.
 */
public final class KitSupport {
  private KitSupport() {}

  // ---------------------------------------------------------------- maps and keys

  /**
   * An insertion-ordered mutable map from alternating keys and values ({@code null} values allowed,
   * unlike {@link Map#of}).
   */
  public static Map<String, Object> map(Object... keysAndValues) {
    if (keysAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("map() needs key/value pairs");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  /** The key whose bytes are the UTF-8 encoding of {@code text}. */
  public static WorkUnitKey key(String text) {
    return WorkUnitKey.of(text);
  }

  /** A key from unsigned byte values 0..255, e.g. {@code bytesKey(0x80, 0xff)}. */
  public static WorkUnitKey bytesKey(int... unsignedBytes) {
    byte[] b = new byte[unsignedBytes.length];
    for (int i = 0; i < b.length; i++) {
      if (unsignedBytes[i] < 0 || unsignedBytes[i] > 255) {
        throw new IllegalArgumentException("not a byte value: " + unsignedBytes[i]);
      }
      b[i] = (byte) unsignedBytes[i];
    }
    return WorkUnitKey.of(b);
  }

  /**
   * The key of the {@code i}-th unit made by {@link #addUnits}: "u" and five digits, so that key
   * order is numeric order.
   */
  public static WorkUnitKey unitKey(int i) {
    return WorkUnitKey.of(unitName(i));
  }

  /** The text of {@link #unitKey(int)}. */
  public static String unitName(int i) {
    return String.format("u%05d", i);
  }

  // ---------------------------------------------------------------- specs and units

  /** Creates (or updates) a work spec whose definition is just its name. */
  public static WorkSpec spec(Namespace ns, String name) {
    return ns.setWorkSpec(map("name", name));
  }

  /** Creates (or updates) a work spec named {@code name} with more definition keys. */
  public static WorkSpec spec(Namespace ns, String name, Object... moreKeysAndValues) {
    Map<String, Object> def = map(moreKeysAndValues);
    Map<String, Object> full = map("name", name);
    full.putAll(def);
    return ns.setWorkSpec(full);
  }

  /** Adds one unit with a text key, empty data and default meta. */
  public static WorkUnit addUnit(WorkSpec spec, String key) {
    return spec.addWorkUnit(WorkUnitKey.of(key), Map.of(), WorkUnitMeta.DEFAULT);
  }

  /** Adds one unit with a text key, the given data and default meta. */
  public static WorkUnit addUnit(WorkSpec spec, String key, Map<String, ?> data) {
    return spec.addWorkUnit(WorkUnitKey.of(key), data, WorkUnitMeta.DEFAULT);
  }

  /** Adds one unit with a text key, empty data and the given priority. */
  public static WorkUnit addUnit(WorkSpec spec, String key, double priority) {
    return spec.addWorkUnit(WorkUnitKey.of(key), Map.of(), WorkUnitMeta.ofPriority(priority));
  }

  /**
   * Adds {@code n} units keyed {@link #unitKey}(0..n-1), with data {@code {"i": i}}, in one {@link
   * WorkSpec#addWorkUnits} call. Returns their keys in key order.
   */
  public static List<WorkUnitKey> addUnits(WorkSpec spec, int n) {
    List<NewWorkUnit> units = new ArrayList<>(n);
    List<WorkUnitKey> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      WorkUnitKey k = unitKey(i);
      units.add(NewWorkUnit.of(k, Map.of("i", (long) i)));
      keys.add(k);
    }
    spec.addWorkUnits(units);
    return keys;
  }

  // ---------------------------------------------------------------- leasing

  /** One attempt for {@code worker} from any spec; fails the test if none is handed out. */
  public static Attempt leaseOne(Worker worker) {
    List<Attempt> got = worker.requestAttempts(AttemptRequest.one());
    assertThat(got).as("attempts handed to %s", worker.name()).hasSize(1);
    return got.get(0);
  }

  /** One attempt for a worker named {@code workerName} (created if needed) from any spec. */
  public static Attempt leaseOne(Namespace ns, String workerName) {
    return leaseOne(ns.worker(workerName));
  }

  /** One attempt from the named spec only, with the given lease; fails the test if none. */
  public static Attempt leaseOne(Worker worker, String specName, Duration lifetime) {
    List<Attempt> got =
        worker.requestAttempts(
            AttemptRequest.one().withWorkSpecs(specName).withLifetime(lifetime));
    assertThat(got).as("attempts from %s handed to %s", specName, worker.name()).hasSize(1);
    return got.get(0);
  }

  /** Leases one unit at a time until none is left; returns the keys in the order handed out. */
  public static List<String> leaseAllOneByOne(Worker worker) {
    List<String> names = new ArrayList<>();
    for (WorkUnitKey k : leaseKeysOneByOne(worker)) {
      names.add(k.toString());
    }
    return names;
  }

  /**
   * Like {@link #leaseAllOneByOne} but returns the keys themselves (for binary keys). Gives up
   * after {@value #LEASE_LOOP_LIMIT} leases, so a spec that never runs dry fails the test instead
   * of hanging it.
   */
  public static List<WorkUnitKey> leaseKeysOneByOne(Worker worker) {
    List<WorkUnitKey> keys = new ArrayList<>();
    for (int i = 0; i < LEASE_LOOP_LIMIT; i++) {
      List<Attempt> got = worker.requestAttempts(AttemptRequest.one());
      if (got.isEmpty()) {
        return keys;
      }
      assertThat(got).hasSize(1);
      keys.add(got.get(0).workUnit().key());
    }
    throw new AssertionError("still leasing after " + LEASE_LOOP_LIMIT + " units");
  }

  /** Most leases {@link #leaseKeysOneByOne} makes. */
  public static final int LEASE_LOOP_LIMIT = 100_000;

  // ---------------------------------------------------------------- reading back

  /** The keys of these units as strings (see {@link WorkUnitKey#toString()}), in list order. */
  public static List<String> keyNames(List<WorkUnit> units) {
    List<String> names = new ArrayList<>(units.size());
    for (WorkUnit u : units) {
      names.add(u.key().toString());
    }
    return names;
  }

  /** The keys of these units, in list order. */
  public static List<WorkUnitKey> keysOf(List<WorkUnit> units) {
    List<WorkUnitKey> keys = new ArrayList<>(units.size());
    for (WorkUnit u : units) {
      keys.add(u.key());
    }
    return keys;
  }

  /** The key strings of the units selected by {@code query}, in the order the backend returns. */
  public static List<String> keyNames(WorkSpec spec, WorkUnitQuery query) {
    return keyNames(spec.workUnits(query));
  }

  /** Every status with its count (zero counts included), for whole-map assertions. */
  public static Map<WorkUnitStatus, Long> counts(WorkSpec spec) {
    Map<WorkUnitStatus, Long> all = new EnumMap<>(WorkUnitStatus.class);
    var c = spec.countWorkUnitStatus();
    for (WorkUnitStatus s : WorkUnitStatus.values()) {
      all.put(s, c.get(s));
    }
    return all;
  }

  /**
   * A status → count map with every status present: zero except those given as alternating
   * status/count pairs, e.g. {@code expectCounts(AVAILABLE, 2L, PENDING, 1L)}.
   */
  public static Map<WorkUnitStatus, Long> expectCounts(Object... statusesAndCounts) {
    Map<WorkUnitStatus, Long> all = new EnumMap<>(WorkUnitStatus.class);
    for (WorkUnitStatus s : WorkUnitStatus.values()) {
      all.put(s, 0L);
    }
    for (int i = 0; i < statusesAndCounts.length; i += 2) {
      all.put(
          (WorkUnitStatus) statusesAndCounts[i], ((Number) statusesAndCounts[i + 1]).longValue());
    }
    return all;
  }

  /** The status of the unit with this key, read afresh through the spec. */
  public static WorkUnitStatus statusOf(WorkSpec spec, String key) {
    return spec.workUnit(WorkUnitKey.of(key)).status();
  }

  // ---------------------------------------------------------------- errors

  /** Asserts that each call raises {@link GoneException}; {@code what} names them in failures. */
  public static void assertGone(String what, ThrowingCallable... calls) {
    for (int i = 0; i < calls.length; i++) {
      assertThatThrownBy(calls[i])
          .as("call #%d on %s", i + 1, what)
          .isInstanceOf(GoneException.class);
    }
  }
}
