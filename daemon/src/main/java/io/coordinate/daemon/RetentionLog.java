package io.coordinate.daemon;

import io.coordinate.api.retention.RetentionSweeper;
import io.coordinate.rpc.ArchiveCounter;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the daemon's retention sweeper tells: units archived go to the metrics ({@link
 * ArchiveCounter}), totals and failures to the log. A failed sweep is a warning, not an error: the
 * next interval tries again.
 */
final class RetentionLog implements RetentionSweeper.Listener {
  private static final Logger log = LoggerFactory.getLogger(RetentionLog.class);

  private final ArchiveCounter counter;
  private final Duration interval;

  RetentionLog(ArchiveCounter counter, Duration interval) {
    this.counter = counter;
    this.interval = interval;
  }

  @Override
  public void archived(String namespace, String workSpec, int units) {
    counter.archived(namespace, workSpec, units);
  }

  @Override
  public void swept(RetentionSweeper.Totals totals) {
    if (totals.units() > 0) {
      log.info(
          "retention: archived {} finished and failed units of {} work specs",
          totals.units(), totals.workSpecs());
    }
  }

  @Override
  public void failed(RuntimeException failure) {
    log.warn(
        "retention: the sweep stopped ({}); trying again in {} s",
        failure.getMessage(), interval.toSeconds());
    log.debug("retention sweep failure", failure);
  }

  @Override
  public void skippedForMaintenance() {
    log.debug("retention: skipped, the store is in maintenance mode");
  }
}
