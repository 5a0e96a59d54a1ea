package io.coordinate.cli;

import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coordinate prioritize SPEC KEY... --priority P | --adjust D}. */
@Command(
    name = "prioritize",
    description = {
      "Sets or adjusts the priority of work units.",
      "--priority sets it, --adjust adds to it (may be negative). Higher priorities are handed"
          + " out first; the default is 0."
    })
final class PrioritizeCommand extends DaemonCommand {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "KEY", description = "the units")
  List<String> keyArguments;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Change change;

  static final class Change {
    @Option(names = "--priority", paramLabel = "P", description = "the new priority")
    Double priority;

    @Option(names = "--adjust", paramLabel = "D", description = "added to each unit's priority")
    Double adjust;
  }

  @Mixin KeyOption keys;

  record Changed(String workSpec, int changed) {}

  @Override
  int run(Session session) {
    double value = change.priority != null ? change.priority : change.adjust;
    if (!Double.isFinite(value)) {
      throw usage("the priority must be a finite number: " + value);
    }
    WorkSpec workSpec = session.workSpec(spec);
    List<WorkUnitKey> named = keys.parse(keyArguments);
    WorkUnitQuery query = WorkUnitQuery.all().withKeys(named);
    int changed = change.priority != null
        ? workSpec.setWorkUnitPriorities(query, value)
        : workSpec.adjustWorkUnitPriorities(query, value);
    if (json()) {
      Json.printDocument(out(), new Changed(spec, changed));
    } else {
      out().println("changed the priority of " + changed + (changed == 1 ? " unit" : " units"));
    }
    long distinct = named.stream().distinct().count();
    if (changed < distinct) {
      out().flush();
      err().println((distinct - changed) + " of the named keys are not units of " + spec);
    }
    return ExitCodes.OK;
  }
}
