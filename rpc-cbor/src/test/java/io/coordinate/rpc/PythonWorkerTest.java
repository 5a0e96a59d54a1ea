package io.coordinate.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitCounts;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import io.coordinate.api.Worker;
import io.coordinate.memory.MemoryCoordinate;
import io.coordinate.sql.SqlConfig;
import io.coordinate.sql.SqlCoordinate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * End to end with real processes: the Python 3 standard-library worker in {@code
 * src/test/python} (its own CBOR codec, speaking like the Python 2 client) defines a chained pair
 * of work specs, adds 2,000 units, runs 4 worker processes that pipeline get_work and their double
 * finishes, and checks the results over the wire; this test then checks the same state through
 * the Java API. Once over the memory backend and once over SQL on in-memory H2.
 */
class PythonWorkerTest {
  private static final Logger log = LoggerFactory.getLogger(PythonWorkerTest.class);

  private static final Duration PYTHON_TIMEOUT = Duration.ofSeconds(120);
  private static final int UNITS = 2000;
  private static final int WORKERS = 4;
  private static final String SPEC_A = "e2e_a";
  private static final String SPEC_B = "e2e_b";
  /** A key of A that is not UTF-8 (the script names unit 7 this way). */
  private static final byte[] ODD_KEY = {(byte) 0xff, 0x00, 'k', '7'};

  @Test
  void pythonCodecPassesItsOwnTests() throws Exception {
    Path dir = pythonDir();
    Run run = runPython(dir, List.of("-m", "unittest", "-v", "test_cborcodec"));
    assertThat(run.exitCode()).as("python3 -m unittest test_cborcodec:%n%s", run.output()).isZero();
  }

  @Test
  void pythonWorkersOverMemoryBackend() throws Exception {
    try (Coordinate coordinate = MemoryCoordinate.create()) {
      runScenario(coordinate);
    }
  }

  @Test
  void pythonWorkersOverSqlBackendOnH2() throws Exception {
    String db = "python_e2e_" + UUID.randomUUID().toString().replace("-", "");
    try (Coordinate coordinate = SqlCoordinate.open(SqlConfig.h2Memory(db))) {
      runScenario(coordinate);
    }
  }

  private void runScenario(Coordinate coordinate) throws Exception {
    CborRpcServer.Settings settings =
        CborRpcServer.Settings.defaults().withAddress(new InetSocketAddress("127.0.0.1", 0));
    try (CborRpcServer server = CborRpcServer.start(coordinate, settings)) {
      Path dir = pythonDir();
      String address = "127.0.0.1:" + server.address().getPort();
      Run run =
          runPython(
              dir,
              List.of(
                  dir.resolve("e2e_worker.py").toString(), address,
                  "--units", Integer.toString(UNITS),
                  "--workers", Integer.toString(WORKERS),
                  "--max-jobs", "10",
                  "--spec-a", SPEC_A,
                  "--spec-b", SPEC_B));
      assertThat(run.exitCode()).as("e2e_worker.py failed:%n%s", run.output()).isZero();
      assertThat(run.output()).contains("e2e: OK");
    }
    checkServerState(coordinate.namespace(""));
  }

  /** What the Python run must have left behind, seen through the Java API. */
  private static void checkServerState(Namespace ns) {
    WorkSpec a = ns.workSpec(SPEC_A);
    WorkSpec b = ns.workSpec(SPEC_B);
    assertThat(a.meta(false).nextWorkSpecName()).isEqualTo(SPEC_B);

    WorkUnitCounts countsA = a.countWorkUnitStatus();
    assertThat(countsA.get(WorkUnitStatus.FINISHED)).as("finished units of A").isEqualTo(UNITS);
    assertThat(countsA.total()).as("units of A").isEqualTo(UNITS);
    WorkUnitCounts countsB = b.countWorkUnitStatus();
    assertThat(countsB.get(WorkUnitStatus.AVAILABLE)).as("available units of B").isEqualTo(UNITS);
    assertThat(countsB.total()).as("units of B").isEqualTo(UNITS);

    // Finished exactly once: one attempt per unit, finished, by one of the Python workers, which
    // all unregistered at the end.
    Set<String> workerNames = new HashSet<>();
    List<WorkUnit> unitsA = a.workUnits(WorkUnitQuery.all());
    assertThat(unitsA).hasSize(UNITS);
    for (WorkUnit unit : unitsA) {
      List<Attempt> attempts = unit.attempts();
      assertThat(attempts).as("attempts of %s", unit.key()).hasSize(1);
      assertThat(attempts.get(0).status()).as("attempt of %s", unit.key())
          .isEqualTo(AttemptStatus.FINISHED);
      assertThat(attempts.get(0).data()).as("finished data of %s", unit.key())
          .containsKey("output");
      workerNames.add(attempts.get(0).worker().name());
    }
    assertThat(workerNames).as("workers that finished units of A").hasSizeBetween(2, WORKERS);
    for (String name : workerNames) {
      Worker worker = ns.findWorker(name).orElseThrow();
      assertThat(worker.isActive()).as("worker %s after worker_unregister", name).isFalse();
    }

    WorkUnit odd = a.workUnit(WorkUnitKey.of(ODD_KEY));
    assertThat(odd.status()).isEqualTo(WorkUnitStatus.FINISHED);
    byte[] oddOut = new byte[ODD_KEY.length + 4];
    System.arraycopy(ODD_KEY, 0, oddOut, 0, ODD_KEY.length);
    System.arraycopy("-out".getBytes(StandardCharsets.US_ASCII), 0, oddOut, ODD_KEY.length, 4);
    WorkUnit oddChained = b.workUnit(WorkUnitKey.of(oddOut));
    assertThat(oddChained.status()).isEqualTo(WorkUnitStatus.AVAILABLE);
    assertThat(b.workUnit(WorkUnitKey.of("u00000-out")).status())
        .isEqualTo(WorkUnitStatus.AVAILABLE);
  }

  /** The output and exit code of a finished python3 run. */
  private record Run(int exitCode, String output) {}

  /**
   * Runs {@code python3 args} in {@code dir}, logging its output line by line; fails if it does
   * not end within {@link #PYTHON_TIMEOUT} (after killing it and the workers it started).
   */
  private static Run runPython(Path dir, List<String> args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("python3");
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.redirectErrorStream(true);
    // keep the source tree free of __pycache__ directories
    builder.environment().put("PYTHONDONTWRITEBYTECODE", "1");
    builder.environment().put("PYTHONUNBUFFERED", "1");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return fail("python3 is needed to run the Python worker tests but could not be started: "
          + e.getMessage(), e);
    }
    process.getOutputStream().close();
    StringBuilder output = new StringBuilder();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try (BufferedReader in =
                      new BufferedReader(
                          new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                      log.info("python: {}", line);
                      synchronized (output) {
                        output.append(line).append('\n');
                      }
                    }
                  } catch (IOException e) {
                    log.warn("reading python output failed", e);
                  }
                });
    long startNanos = System.nanoTime();
    if (!process.waitFor(PYTHON_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      reader.join(Duration.ofSeconds(5));
      synchronized (output) {
        return fail("python3 %s did not finish within %s; output:%n%s", args, PYTHON_TIMEOUT,
            output);
      }
    }
    reader.join(Duration.ofSeconds(10));
    log.info("python3 {} exited with {} after {} ms", args, process.exitValue(),
        (System.nanoTime() - startNanos) / 1_000_000);
    synchronized (output) {
      return new Run(process.exitValue(), output.toString());
    }
  }

  /** src/test/python, from the module directory (as surefire runs) or the repository root. */
  private static Path pythonDir() {
    for (Path candidate :
        List.of(Path.of("src/test/python"), Path.of("rpc-cbor/src/test/python"))) {
      if (Files.isRegularFile(candidate.resolve("e2e_worker.py"))) {
        return candidate.toAbsolutePath();
      }
    }
    return fail("cannot find src/test/python/e2e_worker.py from %s",
        Path.of("").toAbsolutePath());
  }
}
