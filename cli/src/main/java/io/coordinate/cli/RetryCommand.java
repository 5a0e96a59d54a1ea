package io.coordinate.cli;

import io.coordinate.api.GoneException;
import io.coordinate.api.WorkSpec;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitQuery;
import io.coordinate.api.WorkUnitStatus;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code coordinate retry SPEC}: makes failed units available again. The failed attempt stays in
 * the unit's history; a unit is looked at again just before, so one that was re-added or taken in
 * the meantime is left alone.
 */
@Command(
    name = "retry",
    description = {
      "Makes failed work units available again.",
      "Their failed attempt stays in the history. Retries"
          + " the named ones, or with --all-failed every failed unit of the spec.",
      "Named units that are not failed are left as they are and listed on standard error."
    })
final class RetryCommand extends DaemonCommand {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Parameters(index = "1..*", paramLabel = "KEY", description = "the units to retry")
  List<String> keyArguments = List.of();

  @Option(names = "--all-failed", description = "retry every failed unit of the spec")
  boolean allFailed;

  @Mixin KeyOption keys;

  record Retried(String workSpec, int retried) {}

  @Override
  int run(Session session) {
    if (allFailed == !keyArguments.isEmpty()) {
      throw usage("name the units to retry, or give --all-failed (not both)");
    }
    WorkSpec workSpec = session.workSpec(spec);
    int retried = allFailed ? retryAllFailed(workSpec) : retryNamed(workSpec);
    if (json()) {
      Json.printDocument(out(), new Retried(spec, retried));
    } else {
      out().println("retried " + retried + (retried == 1 ? " unit" : " units"));
    }
    return ExitCodes.OK;
  }

  private int retryNamed(WorkSpec workSpec) {
    Set<WorkUnitKey> named = new LinkedHashSet<>(keys.parse(keyArguments));
    List<WorkUnit> found = workSpec.workUnits(WorkUnitQuery.all().withKeys(List.copyOf(named)));
    if (found.size() < named.size()) {
      found.forEach(u -> named.remove(u.key()));
      throw CliFailure.failed("no such work unit in work spec " + spec + ": "
          + String.join(", ", named.stream().map(Keys::display).toList())
          + "; nothing was retried");
    }
    int retried = 0;
    List<String> skipped = new ArrayList<>();
    for (WorkUnit unit : found) {
      WorkUnitStatus status = unit.status();
      if (status == WorkUnitStatus.FAILED) {
        unit.clearActiveAttempt();
        retried++;
      } else {
        skipped.add(Keys.display(unit.key()) + " (" + status.name().toLowerCase(Locale.ROOT) + ")");
      }
    }
    if (!skipped.isEmpty()) {
      out().flush();
      err().println("not failed, left as they are: " + String.join(", ", skipped));
    }
    return retried;
  }

  /** Pages through the failed units; a retried unit leaves the failed listing behind the cursor. */
  private static int retryAllFailed(WorkSpec workSpec) {
    int retried = 0;
    WorkUnitKey after = null;
    while (true) {
      List<WorkUnit> page = workSpec.workUnits(WorkUnitQuery.statuses(WorkUnitStatus.FAILED)
          .withAfter(after).withLimit(UnitListing.PAGE));
      for (WorkUnit unit : page) {
        try {
          if (unit.status() == WorkUnitStatus.FAILED) {
            unit.clearActiveAttempt();
            retried++;
          }
        } catch (GoneException e) {
          // Deleted meanwhile: nothing to retry.
        }
      }
      if (page.size() < UnitListing.PAGE) {
        return retried;
      }
      after = page.getLast().key();
    }
  }
}
