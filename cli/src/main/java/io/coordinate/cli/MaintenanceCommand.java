package io.coordinate.cli;

import io.coordinate.api.MaintenanceState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coordinate maintenance on|off|status}: the store's maintenance mode. */
@Command(
    name = "maintenance",
    description = {
      "Shows or sets maintenance mode, which every daemon on the store sees within a second.",
      "While it is on, workers get no new work (they finish what they hold), changes to the"
          + " queue are refused, and reads, exports and imports go on. An import needs it on."
    })
final class MaintenanceCommand extends DaemonCommand {

  @Parameters(
      paramLabel = "on|off|status",
      description = "turn it on, turn it off, or show it (default: status)",
      arity = "0..1")
  String action = "status";

  @Option(names = "--reason", paramLabel = "TEXT", description = "why, shown to those refused")
  String reason = "";

  record State(boolean on, String reason, String since) {}

  @Override
  int run(Session session) {
    MaintenanceState state =
        switch (action) {
          case "on" -> {
            session.coordinate().setMaintenance(true, reason);
            yield session.coordinate().maintenance();
          }
          case "off" -> {
            session.coordinate().setMaintenance(false, "");
            yield session.coordinate().maintenance();
          }
          case "status" -> session.coordinate().maintenance();
          default -> throw usage("expected on, off or status, not \"" + action + "\"");
        };
    String since = state.since() == null ? null : state.since().toString();
    if (json()) {
      Json.printDocument(out(), new State(state.on(), state.reason(), since));
    } else {
      out().println("maintenance mode is " + (state.on() ? "on" : "off")
          + (state.reason().isEmpty() ? "" : " (" + state.reason() + ")")
          + (since == null ? "" : " since " + since));
    }
    return ExitCodes.OK;
  }
}
