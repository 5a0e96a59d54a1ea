package io.coordinate.bench;

import io.coordinate.api.data.ByteString;
import io.coordinate.sql.SqlConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The cluster load generator: D {@code coordinated} daemons, each a JVM of its own started from
 * this JVM's class path, on one PostgreSQL database and schema; N units of spec A ({@code then} B)
 * drained by C worker connections spread evenly over the daemons. Each worker loops {@code
 * get_work} (one unit, either spec) and {@code update_work_unit} (status FINISHED); the finish of a
 * unit of A carries an {@code output} that chains one unit of B, so a run finishes 2N units.
 *
 * <p>Reports, per daemon and in all, the finished units per second (both specs; a unit counts for
 * the daemon that finished it), the p50/p99 round trip of {@code get_work} as the worker sees
 * it, and the CPU time each daemon's process used per unit it finished. One run per daemon count
 * given, each on fresh daemons and a freshly dropped schema, after an unreported warm-up on the
 * same daemons. Checks afterwards that no unit was handed out twice and that the daemons report
 * all 2N finished. Run {@code bench/cluster-load --help} for the options.
 */
public final class ClusterLoad {
  static final String DEFAULT_SCHEMA = "coordinate_bench_cluster";

  private static final long FINISHED = 4;
  private static final int ADD_CHUNK = 1_000;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

  private ClusterLoad() {}

  /** Command-line options. */
  private static final class Options {
    String url;
    String schema = DEFAULT_SCHEMA;
    List<Integer> daemons = List.of(1, 3);
    int units = 20_000;
    int connections = 48;
    int maxRunning;
    long lease = 300;
    int warmupUnits = 2_000;
    String heap = "512m";
    int repeat = 1;
  }

  /** What one daemon served in a run. */
  record PerDaemon(
      int connections,
      long units,
      long getWorkCalls,
      double p50Micros,
      double p99Micros,
      double cpuSeconds) {}

  /** What one run measured. */
  record Result(
      int daemons,
      int connections,
      long units,
      double seconds,
      List<PerDaemon> perDaemon,
      double p50Micros,
      double p99Micros,
      long emptyGetWorks,
      String loadBefore,
      String loadAfter) {
    double unitsPerSecond() {
      return units / seconds;
    }

    /** CPU time of all the daemons over the run. */
    double cpuSeconds() {
      return perDaemon.stream().mapToDouble(PerDaemon::cpuSeconds).sum();
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("cluster-load: " + e.getMessage());
      System.err.println("Try: cluster-load --help");
      System.exit(2);
      return;
    }
    if (o == null) {
      return; // --help
    }
    System.out.printf(
        "cluster-load: %s schema %s; %d units of A (+ as many of B) per run, %d connections,"
            + " A max_running %s; nproc %d; load average %s%n",
        o.url.replaceAll("//[^@/]*@", "//"), o.schema, o.units, o.connections,
        o.maxRunning == 0 ? "unlimited" : o.maxRunning, Runtime.getRuntime().availableProcessors(),
        RpcLoad.loadAverage());
    Path logs = Files.createTempDirectory("coordinate-cluster-load");
    List<Result> results = new ArrayList<>();
    for (int r = 0; r < o.repeat; r++) {
      for (int d : o.daemons) {
        Result result = runCluster(o, d, logs);
        results.add(result);
        print(result);
      }
    }
    System.out.println();
    System.out.println("| daemons | daemon | connections | units finished | units/s | get_work p50 ms"
        + " | get_work p99 ms | daemon CPU ms/unit | load avg (1 min) before → after |");
    System.out.println("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
    for (Result r : results) {
      for (int i = 0; i < r.perDaemon().size(); i++) {
        PerDaemon p = r.perDaemon().get(i);
        System.out.printf(
            Locale.ROOT, "| %d | %d | %d | %,d | %,.0f | %.1f | %.1f | %.2f | |%n",
            r.daemons(), i, p.connections(), p.units(), p.units() / r.seconds(),
            p.p50Micros() / 1e3, p.p99Micros() / 1e3, 1e3 * p.cpuSeconds() / p.units());
      }
      System.out.printf(
          Locale.ROOT, "| %d | all | %d | %,d | **%,.0f** | %.1f | %.1f | %.2f | %s → %s |%n",
          r.daemons(), r.connections(), r.units(), r.unitsPerSecond(), r.p50Micros() / 1e3,
          r.p99Micros() / 1e3, 1e3 * r.cpuSeconds() / r.units(), first(r.loadBefore()),
          first(r.loadAfter()));
    }
    SqlStores.deleteTree(logs);
  }

  private static void print(Result r) {
    System.out.printf(
        Locale.ROOT,
        "%d daemon(s), %d connections: %,d units in %.2f s, %,.0f units/s; get_work p50 %.1f ms"
            + " p99 %.1f ms; %,d empty get_work answers; load %s -> %s%n",
        r.daemons(), r.connections(), r.units(), r.seconds(), r.unitsPerSecond(),
        r.p50Micros() / 1e3, r.p99Micros() / 1e3, r.emptyGetWorks(), r.loadBefore(),
        r.loadAfter());
    for (int i = 0; i < r.perDaemon().size(); i++) {
      PerDaemon p = r.perDaemon().get(i);
      System.out.printf(
          Locale.ROOT,
          "  daemon %d: %d connections, %,d units, %,.0f units/s, get_work p50 %.1f ms p99 %.1f ms"
              + " (%,d calls); %.1f s CPU, %.2f ms per unit%n",
          i, p.connections(), p.units(), p.units() / r.seconds(), p.p50Micros() / 1e3,
          p.p99Micros() / 1e3, p.getWorkCalls(), p.cpuSeconds(), 1e3 * p.cpuSeconds() / p.units());
    }
  }

  /** Starts {@code count} daemons on a fresh schema, warms them up, measures, stops them. */
  private static Result runCluster(Options o, int count, Path logs) throws Exception {
    SqlStores.execute(SqlConfig.of(o.url), "DROP SCHEMA IF EXISTS " + o.schema + " CASCADE");
    List<Daemon> daemons = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        // One at a time: the first creates the tables.
        daemons.add(Daemon.start(o, logs.resolve("daemon-" + count + "-" + i + ".log")));
      }
      if (o.warmupUnits > 0) {
        // Not reported: compiles the daemons' and the workers' hot paths first.
        drain(o, daemons, "warmup", o.warmupUnits);
        System.out.printf("warm-up done (%d units of A on %d daemon(s))%n", o.warmupUnits, count);
      }
      return drain(o, daemons, "cluster", o.units);
    } finally {
      for (Daemon d : daemons) {
        d.stop();
      }
    }
  }

  /** Queues {@code units} units of {@code prefix}-a, drains both specs, checks, deletes them. */
  private static Result drain(Options o, List<Daemon> daemons, String prefix, int units)
      throws Exception {
    String specA = prefix + "-a";
    String specB = prefix + "-b";
    Daemon first = daemons.get(0);
    try (RpcClient admin = new RpcClient("127.0.0.1", first.port)) {
      Map<String, Object> a = new HashMap<>();
      a.put("name", specA);
      a.put("then", specB);
      a.put("max_running", (long) o.maxRunning);
      admin.callPair("set_work_spec", a);
      admin.callPair("set_work_spec", Map.of("name", specB));
      for (int from = 0; from < units; from += ADD_CHUNK) {
        List<Object> chunk = new ArrayList<>();
        for (int i = from; i < Math.min(units, from + ADD_CHUNK); i++) {
          chunk.add(List.of(ByteString.utf8(key(i)), Map.of("i", (long) i)));
        }
        admin.callPair("add_work_units", specA, chunk);
      }
    }

    long total = 2L * units;
    int d = daemons.size();
    AtomicLong finished = new AtomicLong();
    AtomicLong endNanos = new AtomicLong();
    AtomicLong empties = new AtomicLong();
    AtomicLong duplicates = new AtomicLong();
    AtomicLong[] unitsBy = new AtomicLong[d];
    List<List<long[]>> getWorkBy = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      unitsBy[i] = new AtomicLong();
      getWorkBy.add(new ArrayList<>());
    }
    Set<String> seen = ConcurrentHashMap.newKeySet();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    CountDownLatch ready = new CountDownLatch(o.connections);
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < o.connections; w++) {
      int daemon = w % d;
      String worker = prefix + "-worker-" + w;
      threads.add(
          Thread.ofPlatform()
              .name(worker)
              .start(
                  () -> {
                    RpcLoad.LongList gets = new RpcLoad.LongList();
                    boolean counted = false;
                    try (RpcClient client = new RpcClient("127.0.0.1", daemons.get(daemon).port)) {
                      ready.countDown();
                      counted = true;
                      go.await();
                      Map<String, Object> options =
                          Map.of("max_jobs", 1L, "lease_time", o.lease,
                              "work_spec_names", List.of(specA, specB));
                      while (finished.get() < total && failure.get() == null) {
                        long t0 = System.nanoTime();
                        Object value = client.callPair("get_work", worker, options);
                        gets.add(System.nanoTime() - t0);
                        List<Object> unit = ((ReplyDecoder.Tup) value).items();
                        if (unit.get(0) == null) {
                          // B's units appear as A's finish: the run is over only when all are done.
                          empties.incrementAndGet();
                          Thread.sleep(2);
                          continue;
                        }
                        String spec =
                            unit.get(0) instanceof ByteString bs ? bs.toUtf8() : (String) unit.get(0);
                        ByteString key = (ByteString) unit.get(1);
                        if (!seen.add(spec + "/" + key.toUtf8())) {
                          duplicates.incrementAndGet();
                        }
                        Map<String, Object> finish = new HashMap<>();
                        finish.put("status", FINISHED);
                        if (spec.equals(specA)) {
                          finish.put("data", Map.of("output", Map.of("b-" + key.toUtf8(), Map.of())));
                        }
                        Object ok = client.callPair("update_work_unit", spec, key, finish);
                        if (!Boolean.TRUE.equals(ok)) {
                          throw new IllegalStateException("update_work_unit answered " + ok);
                        }
                        unitsBy[daemon].incrementAndGet();
                        if (finished.incrementAndGet() == total) {
                          endNanos.set(System.nanoTime());
                        }
                      }
                    } catch (Throwable e) {
                      failure.compareAndSet(null, e);
                      if (!counted) {
                        ready.countDown(); // a connection that failed must not hold up the start
                      }
                    } finally {
                      synchronized (getWorkBy) {
                        getWorkBy.get(daemon).add(gets.toArray());
                      }
                    }
                  }));
    }
    ready.await();
    String loadBefore = RpcLoad.loadAverage();
    double[] cpuBefore = daemons.stream().mapToDouble(Daemon::cpuSeconds).toArray();
    long start = System.nanoTime();
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    String loadAfter = RpcLoad.loadAverage();
    double[] cpuAfter = daemons.stream().mapToDouble(Daemon::cpuSeconds).toArray();
    if (failure.get() != null) {
      throw new IllegalStateException(prefix + " run on " + d + " daemon(s) failed", failure.get());
    }
    double seconds = (endNanos.get() - start) / 1e9;

    try (RpcClient admin = new RpcClient("127.0.0.1", first.port)) {
      if (duplicates.get() > 0 || seen.size() != total) {
        throw new IllegalStateException(
            seen.size() + " distinct units leased of " + total + ", " + duplicates.get()
                + " handed out twice");
      }
      for (String spec : List.of(specA, specB)) {
        Object counts = admin.callPair("count_work_units", spec);
        Object done = counts instanceof Map<?, ?> m ? m.get(FINISHED) : null;
        if (!Long.valueOf(units).equals(done)) {
          throw new IllegalStateException(
              spec + ": count_work_units says " + counts + ", expected " + units + " finished");
        }
      }
      admin.callPair("del_work_spec", specA);
      admin.callPair("del_work_spec", specB);
    }

    List<PerDaemon> perDaemon = new ArrayList<>();
    for (int i = 0; i < d; i++) {
      long[] gets = RpcLoad.merge(getWorkBy.get(i));
      int connections = (o.connections + d - 1 - i) / d;
      perDaemon.add(
          new PerDaemon(connections, unitsBy[i].get(), gets.length, RpcLoad.percentile(gets, 0.50),
              RpcLoad.percentile(gets, 0.99), cpuAfter[i] - cpuBefore[i]));
    }
    List<long[]> all = new ArrayList<>();
    getWorkBy.forEach(all::addAll);
    long[] gets = RpcLoad.merge(all);
    return new Result(
        d, o.connections, total, seconds, perDaemon, RpcLoad.percentile(gets, 0.50),
        RpcLoad.percentile(gets, 0.99), empties.get(), loadBefore, loadAfter);
  }

  private static String key(int i) {
    return String.format("a%09d", i);
  }

  /** A daemon in a process of its own, started from this JVM's class path. */
  private static final class Daemon {
    final Process process;
    final int port;
    final Path log;

    private Daemon(Process process, int port, Path log) {
      this.process = process;
      this.port = port;
      this.log = log;
    }

    static Daemon start(Options o, Path log) throws IOException, InterruptedException {
      int port = freePort();
      List<String> command = new ArrayList<>();
      command.add(ProcessHandle.current().info().command().orElse("java"));
      command.add("-Xmx" + o.heap);
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("io.coordinate.daemon.Coordinated");
      command.addAll(List.of("--backend", o.url, "--schema", o.schema));
      command.addAll(List.of("--cborrpc", "127.0.0.1:" + port, "--http", "off"));
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      Daemon daemon = new Daemon(process, port, log);
      long end = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (System.nanoTime() < end) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "a daemon exited with " + process.exitValue() + " while starting: "
                  + Files.readString(log));
        }
        try (RpcClient c = new RpcClient("127.0.0.1", port)) {
          c.call("now");
          return daemon;
        } catch (IOException e) {
          Thread.sleep(100);
        }
      }
      daemon.stop();
      throw new IllegalStateException("a daemon did not start within " + READY_TIMEOUT + "; log " + log);
    }

    /** The CPU time the daemon's process has used so far, in seconds (NaN where unknown). */
    double cpuSeconds() {
      return process.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }

    /** SIGTERM, then SIGKILL if it has not gone within 30 s. */
    void stop() throws InterruptedException {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    }

    private static int freePort() throws IOException {
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        return s.getLocalPort();
      }
    }
  }

  private static String first(String load) {
    int space = load.indexOf(' ');
    return space < 0 ? load : load.substring(0, space);
  }

  private static Options parse(String[] args) {
    Options o = new Options();
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println(HELP);
        return null;
      }
      if (!a.startsWith("-")) {
        if (o.url != null) {
          throw new IllegalArgumentException("one PostgreSQL URL only: " + a);
        }
        o.url = a;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("option " + a + " needs a value");
      }
      String v = args[++i];
      switch (a) {
        case "--daemons" -> o.daemons = RpcLoad.list(a, v);
        case "-n", "--units" -> o.units = RpcLoad.positive(a, v);
        case "-c", "--connections" -> o.connections = RpcLoad.positive(a, v);
        case "--max-running" -> o.maxRunning = v.equals("0") ? 0 : RpcLoad.positive(a, v);
        case "--lease" -> o.lease = RpcLoad.positive(a, v);
        case "--schema" -> o.schema = v;
        case "--daemon-heap" -> o.heap = v;
        case "--warmup" -> o.warmupUnits = v.equals("0") ? 0 : RpcLoad.positive(a, v);
        case "--repeat" -> o.repeat = RpcLoad.positive(a, v);
        default -> throw new IllegalArgumentException("unknown option " + a);
      }
    }
    if (o.url == null
        || !(o.url.startsWith("postgres://") || o.url.startsWith("postgresql://"))) {
      throw new IllegalArgumentException("give a postgres://user:password@host:port/db URL");
    }
    if (!o.schema.matches("[A-Za-z_][A-Za-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("--schema must be a plain SQL identifier: " + o.schema);
    }
    for (int d : o.daemons) {
      if (o.connections < d) {
        throw new IllegalArgumentException("fewer connections than daemons: " + o.connections);
      }
    }
    return o;
  }

  private static final String HELP =
      """
      Usage: bench/cluster-load POSTGRES_URL [options]

      Starts D coordinated daemons (each a JVM of its own) on one PostgreSQL schema, queues N
      units of spec A (then: B), and drains both specs with C worker connections spread evenly
      over the daemons: each loops get_work (one unit) and update_work_unit (finished); every
      finished unit of A chains one unit of B, so 2N units are finished. Reports finished units/s
      and the p50/p99 round trip of get_work, per daemon and in all, for every D given.

        POSTGRES_URL         postgres://user:password@host:port/db
        --daemons L          comma-separated daemon counts, a run each (default 1,3)
        -n, --units N        units of A per run (default 20000; 2N are finished)
        -c, --connections C  worker connections, spread evenly over the daemons (default 48)
        --max-running M      spec A's max_running (default 0: unlimited)
        --lease SECONDS      lease_time of get_work (default 300)
        --schema NAME        schema of the daemons, dropped and re-created before every run
                             (default %s)
        --daemon-heap SIZE   each daemon's -Xmx (default 512m)
        --warmup N           units of A of an unreported warm-up on the same daemons
                             (default 2000; 0: none)
        --repeat R           run every daemon count R times (default 1)
      """
          .formatted(DEFAULT_SCHEMA);
}
