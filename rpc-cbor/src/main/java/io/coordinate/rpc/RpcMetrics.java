package io.coordinate.rpc;

import io.coordinate.api.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The CBOR-RPC server's meters, all in one place:
 *
 * <ul>
 *   <li>{@value #REQUESTS}: a timer per method and outcome, from a frame read to its answer. The
 *       {@code method} tag is a method the server has, or {@code unknown} (so that clients cannot
 *       grow the number of series); {@code outcome} is {@code ok}, the error kind of a soft failure
 *       or an error reply ({@code no_such_work_spec}, {@code not_pending}, {@code
 *       backend_unavailable}, …), {@code refused} (another in-band refusal, such as a lock held by
 *       someone else), {@code bad_request} (unknown method, wrong parameters), {@code malformed}
 *       (undecodable request) or {@code internal_error}.
 *   <li>{@value #GET_WORK}: the latency of {@code get_work} as a histogram, tagged {@code result}
 *       {@code work}, {@code none} (nothing to do) or {@code error}.
 *   <li>{@value #CONNECTIONS}: clients connected now; {@value #ACCEPTED}: connections accepted;
 *       {@value #CONNECTIONS_REFUSED}: connections refused over the connection limit; {@value
 *       #CONNECTIONS_TIMED_OUT}: connections cut because a frame was not completed in time ({@code
 *       phase} {@code frame}) or the client did not read its reply in time ({@code write}).
 * </ul>
 *
 * Recording is a map look-up and the meter's own update; nothing is counted at scrape time.
 */
final class RpcMetrics {
  static final String REQUESTS = "coordinate.rpc.requests";
  static final String GET_WORK = "coordinate.rpc.get_work";
  static final String CONNECTIONS = "coordinate.rpc.connections";
  static final String ACCEPTED = "coordinate.rpc.connections.accepted";
  static final String CONNECTIONS_REFUSED = "coordinate.rpc.connections.refused";
  static final String CONNECTIONS_TIMED_OUT = "coordinate.rpc.connections.timed_out";

  /** The {@code phase} tags of {@value #CONNECTIONS_TIMED_OUT}. */
  static final String FRAME = "frame";

  static final String WRITE = "write";

  static final String OK = "ok";
  static final String REFUSED = "refused";
  static final String BAD_REQUEST = "bad_request";
  static final String MALFORMED = "malformed";
  static final String INTERNAL_ERROR = "internal_error";
  static final String UNKNOWN_METHOD = "unknown";

  /** The {@code outcome} tag of each error kind, computed once. */
  private static final Map<ErrorKind, String> KIND_OUTCOMES = new EnumMap<>(ErrorKind.class);

  static {
    for (ErrorKind kind : ErrorKind.values()) {
      KIND_OUTCOMES.put(kind, kind.name().toLowerCase(Locale.ROOT));
    }
  }

  /** get_work answers range from tens of microseconds (memory) to seconds (a busy database). */
  private static final Duration GET_WORK_MIN = Duration.ofNanos(50_000);

  private static final Duration GET_WORK_MAX = Duration.ofSeconds(10);

  private final MeterRegistry registry;
  private final Set<String> methods;
  /** method → outcome → timer: no allocation once a pair has been seen. */
  private final Map<String, Map<String, Timer>> requests = new ConcurrentHashMap<>();
  private final Timer getWorkWithUnits;
  private final Timer getWorkEmpty;
  private final Timer getWorkFailed;
  private final Counter accepted;
  private final Counter refused;
  private final Counter frameTimeouts;
  private final Counter writeTimeouts;
  private final Gauge connections;
  private final ArchiveCounter archived;

  /**
   * Registers the meters; {@code methods} are the method names the server has, and {@code
   * connected} reads how many clients are connected.
   */
  RpcMetrics(MeterRegistry registry, Set<String> methods, Supplier<Number> connected) {
    this.registry = registry;
    this.methods = Set.copyOf(methods);
    this.getWorkWithUnits = getWorkTimer("work");
    this.getWorkEmpty = getWorkTimer("none");
    this.getWorkFailed = getWorkTimer("error");
    this.accepted =
        Counter.builder(ACCEPTED)
            .description("CBOR-RPC connections accepted since the server started")
            .register(registry);
    this.refused =
        Counter.builder(CONNECTIONS_REFUSED)
            .description("CBOR-RPC connections refused because the connection limit was reached")
            .register(registry);
    this.archived = new ArchiveCounter(registry);
    this.frameTimeouts = timedOutCounter(FRAME);
    this.writeTimeouts = timedOutCounter(WRITE);
    this.connections =
        Gauge.builder(CONNECTIONS, connected)
            .description("CBOR-RPC clients connected now")
            .strongReference(true)
            .register(registry);
  }

  /** Counts the units the {@code archive} call deletes. */
  ArchiveCounter archived() {
    return archived;
  }

  private Counter timedOutCounter(String phase) {
    return Counter.builder(CONNECTIONS_TIMED_OUT)
        .description("CBOR-RPC connections closed because a frame or a reply took too long")
        .tag("phase", phase)
        .register(registry);
  }

  private Timer getWorkTimer(String result) {
    return Timer.builder(GET_WORK)
        .description("get_work latency as the server sees it (lease and data)")
        .tag("result", result)
        .publishPercentileHistogram()
        .minimumExpectedValue(GET_WORK_MIN)
        .maximumExpectedValue(GET_WORK_MAX)
        .register(registry);
  }

  /** The {@code outcome} tag of an error of this kind. */
  static String outcomeOf(ErrorKind kind) {
    return KIND_OUTCOMES.get(kind);
  }

  /** Records one request to {@code method} (null if it could not be read). */
  void request(String method, String outcome, long nanos) {
    String tag = method != null && methods.contains(method) ? method : UNKNOWN_METHOD;
    requests
        .computeIfAbsent(tag, m -> new ConcurrentHashMap<>())
        .computeIfAbsent(outcome, o -> requestTimer(tag, o))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer requestTimer(String method, String outcome) {
    return Timer.builder(REQUESTS)
        .description("CBOR-RPC requests by method and outcome")
        .tag("method", method)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** Records a get_work that leased {@code units} units. */
  void getWork(int units, long nanos) {
    (units > 0 ? getWorkWithUnits : getWorkEmpty).record(nanos, TimeUnit.NANOSECONDS);
  }

  void getWorkFailed(long nanos) {
    getWorkFailed.record(nanos, TimeUnit.NANOSECONDS);
  }

  void accepted() {
    accepted.increment();
  }

  void refused() {
    refused.increment();
  }

  /** Counts a connection cut in {@code phase} ({@link #FRAME} or {@link #WRITE}). */
  void timedOut(String phase) {
    (phase.equals(FRAME) ? frameTimeouts : writeTimeouts).increment();
  }

  /** Removes the connections gauge, which reads a server that has stopped. */
  void close() {
    registry.remove(connections);
  }
}
