package io.coordinate.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Everything the tool takes from outside its arguments: environment variables, the home directory,
 * the standard streams and whether standard error is a terminal. {@link #system()} is the real
 * one; tests build their own, so nothing reads {@link System#getenv} behind their back.
 *
 * @param variables environment variables
 * @param home the user's home directory (for the default configuration file)
 * @param in standard input, read by commands given {@code -}
 * @param out standard output
 * @param err standard error
 * @param errIsTerminal whether standard error is a terminal (the progress bar shows only there)
 */
record Environment(
    Map<String, String> variables,
    Path home,
    InputStream in,
    PrintStream out,
    PrintStream err,
    boolean errIsTerminal) {

  Environment {
    variables = Map.copyOf(variables);
  }

  /** The process's own environment; output is UTF-8 whatever the locale, as keys are. */
  static Environment system() {
    PrintStream out = new PrintStream(
        new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(
        new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    return new Environment(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
        out, err, stderrIsTerminal());
  }

  /** The value of a variable, or {@code null} when it is unset or blank. */
  String variable(String name) {
    String v = variables.get(name);
    return v == null || v.isBlank() ? null : v;
  }

  /**
   * Whether file descriptor 2 is a terminal. Java has no isatty, and {@link System#console()} looks
   * at standard input and output only; on Linux the descriptor's link names the device.
   */
  private static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
