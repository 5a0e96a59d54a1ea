package io.coordinate.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.coordinate.api.data.CborCodec;
import io.coordinate.rpc.Frames;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load: a request the daemon has read is answered and kept, the process exits within
 * its configured stop deadline even when a client does not read its reply, and after a restart on
 * the same store nothing acknowledged is missing.
 */
class GracefulShutdownTest {
  private static final int UNITS = 3_000;
  private static final int BIG_BATCH = 10_000;
  private static final Duration STOP_DEADLINE = Duration.ofSeconds(5);
  /** The JVM's own start of shutdown and exit, on a loaded machine. */
  private static final Duration EXIT_SLACK = Duration.ofSeconds(7);

  @TempDir Path directory;

  @Test
  void sigtermAnswersWhatWasReadLosesNothingAndExitsWithinTheDeadline() throws Exception {
    try (DaemonProcess daemon =
        new DaemonProcess(
            directory.resolve("store").toString(),
            "512m",
            "--stop-deadline", String.valueOf(STOP_DEADLINE.toSeconds()))) {
      daemon.start();
      WorkerLoad.addUnits(daemon.rpcAddress(), UNITS);
      addBigUnits(daemon);
      WorkerLoad load = WorkerLoad.start(daemon.rpcAddress(), 8);
      Object batchReply;
      long exitMillis;
      int exitCode;
      try (load;
          RpcClient adder = new RpcClient(daemon.rpcAddress(), Duration.ofSeconds(60));
          Socket nonReader = new Socket(daemon.rpcAddress().getAddress(), daemon.rpcAddress().getPort())) {
        while (load.finishedCount() < UNITS / 4) {
          DaemonProcess.sleep(10);
        }
        // A client that asks for a large reply and never reads it: its reply cannot be written, so
        // only the stop deadline ends its connection.
        askWithoutReading(nonReader.getOutputStream());
        // A large add in flight when the signal comes: read by the daemon, still being stored.
        long batchId = adder.send("add_work_units", "batch", bigBatch());
        adder.flush();
        DaemonProcess.sleep(300); // long enough for the daemon to have read it, too short to store it
        long signalled = System.nanoTime();
        exitCode = daemon.terminate(STOP_DEADLINE.plus(EXIT_SLACK));
        exitMillis = (System.nanoTime() - signalled) / 1_000_000;
        batchReply = RpcClient.result(batchId, adder.receive());
        daemon.start();
        load.awaitAllFinished(UNITS, Duration.ofMinutes(2));
      }
      System.out.printf("exited %d ms after SIGTERM with code %d%n", exitMillis, exitCode);
      assertThat(exitCode).as("exit code after SIGTERM").isIn(0, 143);
      assertThat(exitMillis)
          .as("the reply nobody reads holds the stop until its deadline, not longer")
          .isGreaterThanOrEqualTo(STOP_DEADLINE.toMillis() - 100);
      assertThat(batchReply).as("reply to the add in flight").isEqualTo(Arrays.asList(true, null));
      try (RpcClient c = new RpcClient(daemon.rpcAddress(), Duration.ofSeconds(60))) {
        Map<?, ?> counts = (Map<?, ?>) c.callPair("count_work_units", "batch");
        long total = counts.values().stream().mapToLong(n -> ((Number) n).longValue()).sum();
        assertThat(total).as("units of the acknowledged add").isEqualTo(BIG_BATCH);
      }
      load.assertNothingLost(daemon.rpcAddress(), UNITS);
    }
  }

  /**
   * A spec whose listing is far larger than the socket buffers between daemon and client, and an
   * empty one for the add in flight.
   */
  private static void addBigUnits(DaemonProcess daemon) throws Exception {
    try (RpcClient c = new RpcClient(daemon.rpcAddress(), Duration.ofSeconds(60))) {
      c.callPair("set_work_spec", Map.of("name", "big", "min_gb", 0));
      c.callPair("set_work_spec", Map.of("name", "batch", "min_gb", 0));
      List<Object> units = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        units.add(List.of(("big" + i).getBytes(StandardCharsets.UTF_8), Map.of("pad", "x".repeat(100_000))));
      }
      c.callPair("add_work_units", "big", units);
    }
  }

  private static List<Object> bigBatch() {
    List<Object> units = new ArrayList<>(BIG_BATCH);
    for (int i = 0; i < BIG_BATCH; i++) {
      units.add(List.of(("b" + i).getBytes(StandardCharsets.UTF_8), Map.of("i", i)));
    }
    return units;
  }

  /** Sends requests for 10 MB replies on a raw socket and never reads. */
  private static void askWithoutReading(OutputStream out) throws Exception {
    for (int id = 1; id <= 5; id++) {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("id", (long) id);
      request.put("method", "get_work_units");
      request.put("params", Arrays.asList("big", Map.of("limit", 10_000)));
      Frames.write(out, CborCodec.encode(request));
    }
    out.flush();
  }
}
