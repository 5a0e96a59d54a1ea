package io.coordinate.cli;

/**
 * A failure the tool itself detects (a bad configuration file, an unreadable input, a malformed
 * line), with the exit code it ends with; {@link Failures} turns it into a message and that code.
 */
final class CliFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int exitCode;

  private CliFailure(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  /** The configuration or the way the tool was called is wrong: {@link ExitCodes#USAGE}. */
  static CliFailure usage(String message) {
    return new CliFailure(ExitCodes.USAGE, message, null);
  }

  /** The input or the request is wrong: {@link ExitCodes#FAILED}. */
  static CliFailure failed(String message) {
    return new CliFailure(ExitCodes.FAILED, message, null);
  }

  static CliFailure failed(String message, Throwable cause) {
    return new CliFailure(ExitCodes.FAILED, message, cause);
  }

  /** The daemon or its store failed the command half-way: {@link ExitCodes#UNAVAILABLE}. */
  static CliFailure unavailable(String message) {
    return new CliFailure(ExitCodes.UNAVAILABLE, message, null);
  }

  int exitCode() {
    return exitCode;
  }
}
