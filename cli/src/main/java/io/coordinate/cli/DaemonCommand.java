package io.coordinate.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the daemon: it gets a {@link Session} on the resolved target and the
 * tool's output streams; failures propagate to {@link Failures} through {@link CoordinateCli}.
 */
abstract class DaemonCommand implements Callable<Integer> {
  @ParentCommand CoordinateCli root;

  @Spec CommandSpec spec;

  /** Does the command's work; returns the exit code (normally {@link ExitCodes#OK}). */
  abstract int run(Session session);

  @Override
  public final Integer call() {
    try (Session session = new Session(root.target())) {
      return run(session);
    }
  }

  PrintWriter out() {
    return root.out();
  }

  /** Notes for people (hints, skipped items); never part of the output a script reads. */
  PrintWriter err() {
    return root.err();
  }

  boolean json() {
    return root.json();
  }

  Environment env() {
    return root.env();
  }

  /** A usage error found after parsing (picocli prints it with the usage hint, exit 2). */
  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
