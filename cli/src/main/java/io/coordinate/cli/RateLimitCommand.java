package io.coordinate.cli;

import io.coordinate.api.RateLimit;
import io.coordinate.api.WorkSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coordinate rate-limit SPEC RATE [--burst N]}: how fast workers get a spec's units. */
@Command(
    name = "rate-limit",
    description = {
      "Limits how fast workers get the units of a work spec.",
      "RATE is units a second on average (a fraction such as 0.5 is one unit every 2 s); 0 removes"
          + " the limit. --burst is how many may go at once after the spec was idle; without it,"
          + " one second's worth (at least 1). Units already pending are not affected."
    })
final class RateLimitCommand extends DaemonCommand {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the work spec")
  String spec;

  @Parameters(index = "1", paramLabel = "RATE", description = "units a second; 0: no limit")
  double rate;

  @Option(names = "--burst", paramLabel = "N", description = "units at once after idling")
  Integer burst;

  record Limited(String workSpec, double rateLimit, int rateBurst) {}

  @Override
  int run(Session session) {
    if (!(rate >= 0 && rate <= RateLimit.MAX_PER_SECOND)) {
      throw usage("RATE must be a number of units a second from 0 to 1e9: " + rate);
    }
    if (burst != null && burst < 1) {
      throw usage("--burst must be at least 1: " + burst);
    }
    if (burst != null && rate == 0) {
      throw usage("--burst needs a RATE above 0");
    }
    RateLimit limit = new RateLimit(rate, burst == null ? 0 : burst);
    WorkSpec workSpec = session.workSpec(spec);
    workSpec.setMeta(workSpec.meta(false).withRateLimit(limit));
    if (json()) {
      Json.printDocument(out(), new Limited(spec, limit.perSecond(), limit.capacity()));
    } else if (limit.unlimited()) {
      out().println("removed the rate limit of work spec " + spec);
    } else {
      int capacity = limit.capacity();
      out().println("limited work spec " + spec + " to " + Numbers.format(limit.perSecond())
          + (limit.perSecond() == 1 ? " unit" : " units") + " a second, at most " + capacity
          + " at once");
    }
    return ExitCodes.OK;
  }
}
