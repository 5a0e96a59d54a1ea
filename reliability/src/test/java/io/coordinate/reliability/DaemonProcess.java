package io.coordinate.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code coordinated} daemon in a process of its own, started from this JVM's class path
 * with the same Java, on ports fixed for its whole life, so that it can be killed and started again
 * where its clients expect it. Its output goes to a log file per start under {@code target/}.
 */
final class DaemonProcess implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final List<String> options;
  private final String heap;
  private final int rpcPort;
  private final int httpPort;
  private final Path logDirectory;
  private Process process;
  private int starts;
  private long lastStartMillis;
  private Path log;

  /**
   * A daemon (not started yet) serving {@code backend} (a {@code --backend} value) with the extra
   * daemon options {@code options}, in a JVM limited to {@code heap} (e.g. "256m").
   */
  DaemonProcess(String backend, String heap, String... options) {
    this.rpcPort = freePort();
    this.httpPort = freePort();
    this.heap = heap;
    this.options = new ArrayList<>();
    this.options.addAll(List.of("--backend", backend));
    this.options.addAll(List.of("--cborrpc", "127.0.0.1:" + rpcPort));
    this.options.addAll(List.of("--http", "127.0.0.1:" + httpPort));
    this.options.addAll(List.of(options));
    this.logDirectory = Path.of("target", "daemon-logs");
  }

  /** Starts the daemon and returns once it answers CBOR-RPC requests. */
  DaemonProcess start() throws IOException {
    Files.createDirectories(logDirectory);
    log = logDirectory.resolve("daemon-" + rpcPort + "-" + (++starts) + ".log");
    long begun = System.nanoTime();
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx" + heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("io.coordinate.daemon.Coordinated");
    command.addAll(options);
    process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    awaitReady(log);
    lastStartMillis = (System.nanoTime() - begun) / 1_000_000;
    return this;
  }

  private void awaitReady(Path log) throws IOException {
    long end = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < end) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the daemon exited with " + process.exitValue() + " while starting: " + tail(log));
      }
      try (RpcClient c = new RpcClient(rpcAddress(), Duration.ofSeconds(5))) {
        c.call("now");
        return;
      } catch (IOException e) {
        sleep(50);
      }
    }
    throw new IllegalStateException("the daemon did not start within " + READY_TIMEOUT + ": " + tail(log));
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Kills the process outright (SIGKILL): no shutdown hook, no flush, no clean close. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the daemon survived SIGKILL for 30 s");
    }
  }

  /** Asks the process to stop (SIGTERM); returns its exit code, waiting at most {@code limit}. */
  int terminate(Duration limit) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the daemon did not exit within " + limit + " of SIGTERM");
    }
    return process.exitValue();
  }

  /** How long the last start took, from launching the JVM to the first answer. */
  long lastStartMillis() {
    return lastStartMillis;
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** The log file of the latest start (the daemon's standard output and error). */
  Path logFile() {
    return log;
  }

  /** The process id, to read its resource use from /proc. */
  long pid() {
    return process.pid();
  }

  InetSocketAddress rpcAddress() {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), rpcPort);
  }

  /** The REST admin API's base URL, e.g. {@code http://127.0.0.1:5980}. */
  String httpBase() {
    return "http://127.0.0.1:" + httpPort;
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null && process.isAlive()) {
      kill9();
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
