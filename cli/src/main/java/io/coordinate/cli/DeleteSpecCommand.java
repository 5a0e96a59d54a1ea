package io.coordinate.cli;

import io.coordinate.api.NoSuchWorkSpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coordinate delete-spec SPEC}: deletes a work spec with all its units. */
@Command(
    name = "delete-spec",
    description = "Deletes a work spec with all its work units and their attempts.")
final class DeleteSpecCommand extends DaemonCommand {

  @Parameters(paramLabel = "SPEC", description = "the work spec")
  String spec;

  record Deleted(String workSpec, boolean deleted) {}

  @Override
  int run(Session session) {
    session.existingNamespace()
        .orElseThrow(() -> new NoSuchWorkSpecException(spec))
        .destroyWorkSpec(spec);
    if (json()) {
      Json.printDocument(out(), new Deleted(spec, true));
    } else {
      out().println("deleted work spec " + spec);
    }
    return ExitCodes.OK;
  }
}
