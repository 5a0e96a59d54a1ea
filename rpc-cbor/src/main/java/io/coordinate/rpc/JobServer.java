package io.coordinate.rpc;

import io.coordinate.api.Coordinate;
import io.coordinate.api.CoordinateException;
import io.coordinate.api.GoneException;
import io.coordinate.api.MaintenanceWatch;
import io.coordinate.api.Namespace;
import java.time.Clock;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The CBOR-RPC methods: a table from method name to handler, and the rules every handler shares.
 * The handlers live in one class per area ({@link SpecMethods}, {@link UnitMethods}, {@link
 * WorkMethods}, {@link WorkerMethods}, {@link LockMethods}); each registers its methods here with
 * the value its reply carries on a soft failure.
 *
 * <p>Most methods answer a pair {@code [value, message]}: message is null on success and explains a
 * soft failure otherwise (see {@link ErrorMapping}). A few answer a bare value; for them every
 * failure is an error reply.
 */
final class JobServer {
  /** A method body: gets the checked parameters, returns the value of the reply. */
  interface Handler {
    Object call(Params params);
  }

  /** How a method's reply is shaped. */
  sealed interface Shape {}

  /** A pair {@code [value, message]}; soft failures answer {@code [failure, message]}. */
  record Pair(Object failure) implements Shape {}

  /** A bare value; every failure is an error reply. */
  record Bare() implements Shape {}

  private record Method(String name, int minParams, int maxParams, Shape shape, Handler handler) {}

  /**
   * The methods that change the queue, which maintenance mode refuses (in-band where the method
   * answers a pair). Workers go on finishing and renewing what they hold; get_work hands out
   * nothing (see {@link WorkMethods}); reads go on.
   */
  static final Set<String> QUEUE_CHANGES =
      Set.of(
          "set_work_spec",
          "control_work_spec",
          "del_work_spec",
          "clear",
          "add_work_units",
          "prioritize_work_units",
          "del_work_units",
          "archive");

  private final Map<String, Method> methods = new HashMap<>();
  private final Coordinate coordinate;
  private final CborRpcServer.Settings settings;
  private final RpcMetrics metrics;
  private final MaintenanceWatch maintenance;
  private volatile Namespace namespace;

  /** {@code connected} reads how many clients are connected, for the metrics. */
  JobServer(Coordinate coordinate, CborRpcServer.Settings settings, Supplier<Number> connected) {
    this.coordinate = coordinate;
    this.settings = settings;
    this.namespace = coordinate.namespace(settings.namespace());
    this.maintenance =
        new MaintenanceWatch(coordinate, settings.maintenanceRefresh(), System::nanoTime);
    new SpecMethods(this).register();
    new UnitMethods(this).register();
    new WorkMethods(this).register();
    new WorkerMethods(this).register();
    new LockMethods(this).register();
    // After the methods: their names bound the method tag.
    this.metrics = new RpcMetrics(settings.meterRegistry(), methods.keySet(), connected);
  }

  RpcMetrics metrics() {
    return metrics;
  }

  /** The store's maintenance mode, as recently read. */
  MaintenanceWatch maintenance() {
    return maintenance;
  }

  /** The namespace served. */
  Namespace namespace() {
    return namespace;
  }

  Clock clock() {
    return settings.clock();
  }

  Map<String, Object> globalConfig() {
    return settings.globalConfig();
  }

  void pair(String name, int minParams, int maxParams, Object failure, Handler handler) {
    methods.put(name, new Method(name, minParams, maxParams, new Pair(failure), handler));
  }

  void bare(String name, int minParams, int maxParams, Handler handler) {
    methods.put(name, new Method(name, minParams, maxParams, new Bare(), handler));
  }

  /** A successful pair reply. */
  static List<Object> ok(Object value) {
    return Arrays.asList(value, null);
  }

  /** A successful pair reply with a note for the client (a setting it sent was changed). */
  static List<Object> okWithNote(Object value, String note) {
    return Arrays.asList(value, note);
  }

  /** A soft-failure pair reply: the request was refused in-band. */
  static List<Object> soft(Object value, String message) {
    return new Refusal(value, message);
  }

  /** A soft-failure pair, told apart from a success only by its type, for the metrics. */
  private static final class Refusal extends AbstractList<Object> {
    private final Object value;
    private final String message;

    Refusal(Object value, String message) {
      this.value = value;
      this.message = message;
    }

    @Override
    public Object get(int index) {
      return switch (index) {
        case 0 -> value;
        case 1 -> message;
        default -> throw new IndexOutOfBoundsException(index);
      };
    }

    @Override
    public int size() {
      return 2;
    }
  }

  /**
   * A method's answer: the reply's {@code result}, and how it went for the metrics ({@code ok}; for
   * a soft failure answered in-band the error kind, or {@code refused} when the method itself
   * declined).
   */
  record Reply(Object result, String outcome) {}

  /** Runs a method; throws {@link RpcError} or {@link CoordinateException} for error replies. */
  Reply call(String name, List<?> params) {
    Method m = methods.get(name);
    if (m == null) {
      throw new RpcError("no such method: " + name);
    }
    Params p = new Params(name, params).expect(m.minParams(), m.maxParams());
    try {
      return shaped(m, p);
    } catch (NamespaceGone e) {
      // The namespace was destroyed through another door (another daemon on the same database, an
      // admin tool); serve a fresh one of the same name, as a Python daemon would after losing its
      // state. Nothing of the first run can have taken effect: every call on it raised.
      namespace = coordinate.namespace(settings.namespace());
      try {
        return shaped(m, p);
      } catch (NamespaceGone again) {
        throw (GoneException) again.getCause(); // destroyed again at once: an error reply
      }
    }
  }

  /** The served namespace itself is gone (not merely an object in it). */
  private static final class NamespaceGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NamespaceGone(GoneException cause) {
      super(cause.getMessage(), cause, false, false);
    }
  }

  private Reply shaped(Method m, Params p) {
    Namespace served = namespace;
    try {
      if (QUEUE_CHANGES.contains(m.name())) {
        maintenance.refuseWhileOn(m.name());
      }
      Object result = m.handler().call(p);
      return new Reply(result, result instanceof Refusal ? RpcMetrics.REFUSED : RpcMetrics.OK);
    } catch (CoordinateException e) {
      if (e instanceof GoneException gone && isGone(served)) {
        throw new NamespaceGone(gone);
      }
      if (m.shape() instanceof Pair pair && ErrorMapping.formOf(e) == ErrorMapping.Form.IN_BAND) {
        return new Reply(
            soft(pair.failure(), ErrorMapping.message(e)), RpcMetrics.outcomeOf(e.kind()));
      }
      throw e;
    }
  }

  private static boolean isGone(Namespace ns) {
    try {
      ns.workSpecNames();
      return false;
    } catch (GoneException e) {
      return true;
    }
  }

  /** The names of all methods, sorted (for tests and documentation). */
  List<String> methodNames() {
    List<String> names = new ArrayList<>(methods.keySet());
    names.sort(null);
    return names;
  }
}
