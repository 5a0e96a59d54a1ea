package io.coordinate.cli;

import io.coordinate.api.WorkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coordinate pause SPEC}: workers get no new units of the spec until it is resumed. */
@Command(
    name = "pause",
    description = {
      "Pauses a work spec: workers get no new units of it.",
      "Units already pending go on. Resume undoes it."
    })
final class PauseCommand extends DaemonCommand {

  @Parameters(paramLabel = "SPEC", description = "the work spec")
  String spec;

  /** What pause and resume print. */
  record Paused(String workSpec, boolean paused) {}

  @Override
  int run(Session session) {
    return setPaused(this, session, spec, true);
  }

  /** Sets the paused flag and says so; shared with {@link ResumeCommand}. */
  static int setPaused(DaemonCommand command, Session session, String name, boolean paused) {
    WorkSpec spec = session.workSpec(name);
    spec.setMeta(spec.meta(false).withPaused(paused));
    if (command.json()) {
      Json.printDocument(command.out(), new Paused(name, paused));
    } else {
      command.out().println((paused ? "paused" : "resumed") + " work spec " + name);
    }
    return ExitCodes.OK;
  }
}
