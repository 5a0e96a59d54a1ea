package io.coordinate.bench;

import static io.coordinate.api.data.ByteString.utf8;

import com.sun.management.OperatingSystemMXBean;
import io.coordinate.daemon.Coordinated;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;

/**
 * Long-poll get_work over CBOR-RPC, as workers would use it: how soon a waiting get_work answers
 * once a unit is added (through the same daemon, and on PostgreSQL through a second daemon on the
 * same database), and what a thousand idle workers cost while they wait, against the same
 * thousand polling once a second. The daemons run in this JVM with their production wiring; the
 * CPU figure is this process's CPU time (the idle clients block on their sockets and cost
 * nothing). Run {@code bench/long-poll --help} for the options.
 */
@CommandLine.Command(
    name = "long-poll",
    mixinStandardHelpOptions = true,
    description = "Measures long-poll wake-up latency and the cost of idle waiting workers.")
public final class LongPollLoad implements Callable<Integer> {
  @CommandLine.Option(
      names = "--backend",
      defaultValue = "h2",
      description = "memory, h2 (a temporary embedded store) or a PostgreSQL URL (default: h2)")
  String backend;

  @CommandLine.Option(names = "--rounds", defaultValue = "100", description = "wake-ups timed")
  int rounds;

  @CommandLine.Option(
      names = "--idle-workers",
      defaultValue = "1000",
      description = "connections that wait for work that never comes")
  int idleWorkers;

  @CommandLine.Option(
      names = "--seconds",
      defaultValue = "30",
      description = "how long the idle workers are measured, each way")
  int seconds;

  public static void main(String[] args) {
    System.exit(new CommandLine(new LongPollLoad()).execute(args));
  }

  private Path tempDir;

  private Coordinated.Running start() throws Exception {
    String store = backend;
    if (backend.equals("h2")) {
      tempDir = Files.createTempDirectory("coordinate-long-poll");
      store = tempDir.toString();
    }
    Coordinated coordinated = new Coordinated();
    new CommandLine(coordinated)
        .parseArgs(
            "--backend", store, "--cborrpc", "127.0.0.1:0", "--http", "off",
            "--max-connections", String.valueOf(idleWorkers + 100));
    return coordinated.start();
  }

  @Override
  public Integer call() throws Exception {
    boolean shared = backend.startsWith("postgres");
    Coordinated.Running first = start();
    Coordinated.Running second = shared ? start() : null;
    System.out.printf(Locale.ROOT, "long-poll: %s; nproc %d; load average %s%n",
        backend.replaceAll("//[^@/]*@", "//"), Runtime.getRuntime().availableProcessors(),
        RpcLoad.loadAverage());
    try {
      int port = first.server().address().getPort();
      try (RpcClient admin = new RpcClient("127.0.0.1", port)) {
        admin.call("clear");
        admin.callPair("set_work_spec", Map.of("name", "wake", "min_gb", 0L));
        admin.callPair("set_work_spec", Map.of("name", "never", "min_gb", 0L));
      }
      wakeUps("same daemon", port, port);
      if (second != null) {
        wakeUps("another daemon", port, second.server().address().getPort());
      }
      idle(port);
    } finally {
      if (second != null) {
        second.stop();
      }
      first.stop();
      if (tempDir != null) {
        SqlStores.deleteTree(tempDir);
      }
    }
    return 0;
  }

  /** A waiting get_work on {@code waitPort}; a unit added on {@code addPort}; the time between. */
  private void wakeUps(String label, int waitPort, int addPort) throws Exception {
    List<Long> micros = new ArrayList<>();
    try (RpcClient waiter = new RpcClient("127.0.0.1", waitPort);
        RpcClient adder = new RpcClient("127.0.0.1", addPort);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < rounds + 10; i++) {
        AtomicLong answered = new AtomicLong();
        CountDownLatch asked = new CountDownLatch(1);
        Future<Object> got =
            pool.submit(
                () -> {
                  asked.countDown();
                  Object reply =
                      waiter.callPair(
                          "get_work", "waiter",
                          Map.of("lease_time", 300L, "max_jobs", 1L, "wait", 60L,
                              "work_spec_names", List.of("wake")));
                  answered.set(System.nanoTime());
                  return reply;
                });
        asked.await();
        Thread.sleep(30); // the request is read and waiting
        adder.callPair(
            "add_work_units", "wake", List.of(List.of(utf8(label + "-" + i), Map.of())));
        long added = System.nanoTime();
        Object reply = got.get(60, TimeUnit.SECONDS);
        if (!(reply instanceof ReplyDecoder.Tup unit) || unit.items().get(1) == null) {
          throw new IllegalStateException("a waiting get_work answered without work: " + reply);
        }
        if (i >= 10) { // the first ten warm the path up
          micros.add(Math.max(0, answered.get() - added) / 1_000);
        }
      }
    }
    micros.sort(null);
    System.out.printf(Locale.ROOT,
        "wake-up through %s: %d rounds, median %d µs, p90 %d µs, p99 %d µs, max %d µs%n",
        label, micros.size(), micros.get(micros.size() / 2),
        micros.get(micros.size() * 9 / 10), micros.get(Math.min(micros.size() - 1,
            micros.size() * 99 / 100)), micros.get(micros.size() - 1));
  }

  /**
   * CPU of the process with no worker (its own background: the probe, JIT, GC), of {@link
   * #idleWorkers} connections waiting, then of as many polling once a second.
   */
  private void idle(int port) throws Exception {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long cpu0 = os.getProcessCpuTime();
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1_000L);
    double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
    double wall = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "no workers: CPU %.2f s in %.0f s (%.2f%% of one core)%n",
        cpu, wall, 100 * cpu / wall);
    for (boolean longPoll : new boolean[] {true, false}) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong calls = new AtomicLong();
      List<RpcClient> clients = new ArrayList<>();
      for (int i = 0; i < idleWorkers; i++) {
        clients.add(new RpcClient("127.0.0.1", port));
      }
      try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < idleWorkers; i++) {
          RpcClient c = clients.get(i);
          String worker = "idle-" + i;
          long offset = i * 1_000L / idleWorkers; // pollers spread over the second
          pool.submit(
              () -> {
                Thread.sleep(offset);
                while (!stop.get()) {
                  Map<String, Object> options =
                      longPoll
                          ? Map.of("lease_time", 300L, "max_jobs", 1L, "wait", 60L,
                              "work_spec_names", List.of("never"))
                          : Map.of("lease_time", 300L, "max_jobs", 1L,
                              "work_spec_names", List.of("never"));
                  c.callPair("get_work", worker, options);
                  calls.incrementAndGet();
                  if (!longPoll) {
                    Thread.sleep(1_000);
                  }
                }
                return null;
              });
        }
        Thread.sleep(5_000); // every worker is connected and waiting (or polling)
        cpu0 = os.getProcessCpuTime();
        long calls0 = calls.get();
        t0 = System.nanoTime();
        Thread.sleep(seconds * 1_000L);
        cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        wall = (System.nanoTime() - t0) / 1e9;
        long answered = calls.get() - calls0;
        System.out.printf(Locale.ROOT,
            "%,d idle workers %s: CPU %.2f s in %.0f s (%.2f%% of one core), %,d get_work"
                + " answers (%.1f/s)%n",
            idleWorkers, longPoll ? "long-polling (wait 60 s)" : "polling every second", cpu,
            wall, 100 * cpu / wall, answered, answered / wall);
        stop.set(true);
        for (RpcClient c : clients) {
          c.close(); // ends the waiting calls
        }
      }
    }
  }
}
