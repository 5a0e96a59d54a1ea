package io.coordinate.cli;

import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import java.util.EnumSet;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate delete SPEC}: deletes work units by key and/or status. Emptying the whole spec
 * takes {@code --all}, said in so many words.
 */
@Command(
    name = "delete",
    description = {
      "Deletes work units by key, by status, or all of them.",
      "Deletes work units and their attempts: the named ones, those in the given statuses (both:"
          + " named units in those statuses), or with --all every unit of the spec.",
      "Without keys, --status or --all nothing is deleted."
    })
final class DeleteCommand extends DaemonCommand {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Parameters(index = "1..*", paramLabel = "KEY", description = "the units to delete")
  List<String> keyArguments = List.of();

  @Option(
      names = {"-s", "--status"},
      paramLabel = "STATUS",
      split = ",",
      description = "only units in these statuses: available, pending, finished, failed, delayed")
  List<WorkUnitStatus> statuses = List.of();

  @Option(names = "--all", description = "delete every unit of the spec")
  boolean all;

  @Mixin KeyOption keys;

  record Deleted(String workSpec, int deleted) {}

  @Override
  int run(Session session) {
    boolean filtered = !keyArguments.isEmpty() || !statuses.isEmpty();
    if (all && filtered) {
      throw usage("--all deletes every unit; it takes no keys and no --status");
    }
    if (!all && !filtered) {
      throw usage("refusing to delete every unit of " + spec
          + " without --all; name keys or give --status");
    }
    WorkSpec workSpec = session.workSpec(spec);
    WorkUnitQuery query = WorkUnitQuery.all();
    if (!keyArguments.isEmpty()) {
      query = query.withKeys(keys.parse(keyArguments));
    }
    if (!statuses.isEmpty()) {
      query = query.withStatuses(EnumSet.copyOf(statuses));
    }
    int deleted = workSpec.deleteWorkUnits(query);
    if (json()) {
      Json.printDocument(out(), new Deleted(spec, deleted));
    } else {
      out().println("deleted " + deleted + (deleted == 1 ? " unit" : " units"));
    }
    return ExitCodes.OK;
  }
}
