package io.coordinate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coordinate resume SPEC}: undoes {@code pause}. */
@Command(name = "resume", description = "Resumes a paused work spec.")
final class ResumeCommand extends DaemonCommand {

  @Parameters(paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Override
  int run(Session session) {
    return PauseCommand.setPaused(this, session, spec, false);
  }
}
