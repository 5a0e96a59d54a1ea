package io.coordinate.cli;

/** The tool's exit codes; docs/cli.md lists them too. */
final class ExitCodes {
  private ExitCodes() {}

  /** The command did what it was asked. */
  static final int OK = 0;

  /**
   * The request failed: no such work spec, unit or worker, a conflict, invalid input (a malformed
   * definition, data or input line), or an error of the tool itself.
   */
  static final int FAILED = 1;

  /** The command line or the configuration is wrong (picocli's own usage code). */
  static final int USAGE = 2;

  /** The daemon cannot be reached, timed out, or answered that its store is unavailable (503). */
  static final int UNAVAILABLE = 3;

  /** The daemon refused the admin token, or needs one and none was given (401). */
  static final int UNAUTHORIZED = 4;

  /** The store is in maintenance mode and refused a change; it may be retried once that ends. */
  static final int MAINTENANCE = 5;
}
