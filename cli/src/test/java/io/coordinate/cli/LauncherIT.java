package io.coordinate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.coordinate.memory.MemoryCoordinate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./coordinate} launcher as a user runs it: a separate process with its own JDK
 * discovery and the shaded jar. It runs after {@code package} (the build binds it to the
 * integration-test phase) with {@code COORDINATE_SKIP_BUILD=1}, so it never starts a build itself.
 */
class LauncherIT {
  @TempDir Path home;

  TestDaemon daemon;
  Path root;

  @BeforeEach
  void setUp() {
    // Only the build's launcher execution, after package, names the root; elsewhere the jar may
    // be missing or stale.
    String rootProperty = System.getProperty("coordinate.root");
    assumeTrue(rootProperty != null, "runs in the integration-test phase");
    root = Path.of(rootProperty).toAbsolutePath().normalize();
    assumeTrue(Files.isRegularFile(root.resolve("cli/target/coordinate.jar")),
        "the jar is built by the package phase");
    daemon = TestDaemon.start(MemoryCoordinate.create());
    daemon.backend().namespace("").setWorkSpec(Map.of("name", "fetch"));
  }

  @AfterEach
  void tearDown() {
    if (daemon != null) {
      daemon.close();
    }
  }

  record Run(int exitCode, String out, String err) {}

  Run launch(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", root.resolve("coordinate").toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(home.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("COORDINATE_"));
    env.put("HOME", home.toString());
    env.put("COORDINATE_SKIP_BUILD", "1");
    Path out = home.resolve("out.txt");
    Path err = home.resolve("err.txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("./coordinate " + String.join(" ", args) + " did not end");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theLauncherRunsTheToolAgainstADaemon() throws Exception {
    Run version = launch("--version");
    assertThat(version.exitCode()).as(version.toString()).isZero();
    assertThat(version.out()).startsWith("coordinate ");

    Run summary = launch("--url", daemon.url(), "--token", TestDaemon.TOKEN, "summary");
    assertThat(summary.exitCode()).as(summary.toString()).isZero();
    assertThat(summary.out()).isEqualTo("""
        work spec  paused  available  pending  finished  failed  delayed  total
        fetch      no              0        0         0       0        0      0
        """);

    Run refused = launch("--url", daemon.url(), "--token", "wrong", "pause", "fetch");
    assertThat(refused.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(refused.err()).startsWith("error: the daemon at ");
  }
}
