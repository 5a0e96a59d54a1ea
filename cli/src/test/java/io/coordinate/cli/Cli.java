package io.coordinate.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Test-only: runs the tool in this JVM with an {@link Environment} of the test's making (its own
 * variables, home directory and standard input) and captures what it prints.
 */
final class Cli {
  /** How a run ended. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  private final Map<String, String> variables = new HashMap<>();
  private final Path home;
  private byte[] stdin = new byte[0];
  private boolean terminal;

  Cli(Path home) {
    this.home = home;
  }

  /** A tool pointed at {@code daemon} through the environment, with its token. */
  static Cli of(TestDaemon daemon, Path home) {
    return new Cli(home)
        .env(Configuration.URL_VARIABLE, daemon.url())
        .env(Configuration.TOKEN_VARIABLE, TestDaemon.TOKEN);
  }

  Cli env(String name, String value) {
    if (value == null) {
      variables.remove(name);
    } else {
      variables.put(name, value);
    }
    return this;
  }

  Cli stdin(String text) {
    this.stdin = text.getBytes(StandardCharsets.UTF_8);
    return this;
  }

  /** Claims standard error is a terminal, as the progress bar asks. */
  Cli terminal(boolean yes) {
    this.terminal = yes;
    return this;
  }

  Result run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Environment env = new Environment(variables, home, new ByteArrayInputStream(stdin),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), terminal);
    int code = CoordinateCli.run(env, args);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
