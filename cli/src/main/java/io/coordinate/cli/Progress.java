package io.coordinate.cli;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on standard error while units are added: by bytes of the input when its size is
 * known, else by units. {@link #NONE} shows nothing.
 */
interface Progress extends AutoCloseable {

  /** Shows nothing. */
  Progress NONE = new Progress() {
    @Override
    public void update(long bytes, long units) {}

    @Override
    public void close() {}
  };

  /** Reports that {@code bytes} of the input were read and {@code units} units added so far. */
  void update(long bytes, long units);

  @Override
  void close();

  /** Width of the bar when standard error is not a terminal that can tell its own. */
  int FIXED_WIDTH = 100;

  /** A bar on {@code err} counting units, up to {@code expected} (-1: unknown). */
  static Progress units(PrintStream err, String task, long expected, boolean terminal) {
    ProgressBar bar = new ProgressBarBuilder()
        .setTaskName(task)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(terminal
            ? new ConsoleProgressBarConsumer(err)
            : new ConsoleProgressBarConsumer(err, FIXED_WIDTH))
        .setInitialMax(expected)
        .setUnit(" units", 1)
        .showSpeed()
        .build();
    return new Progress() {
      @Override
      public void update(long bytes, long units) {
        bar.stepTo(units);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /**
   * A bar on {@code err}.
   *
   * @param size the input's size in bytes, or -1 when unknown
   * @param terminal whether {@code err} is the process's terminal (its width is asked then)
   */
  static Progress bar(PrintStream err, String task, long size, boolean terminal) {
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName(task)
        .setStyle(ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(terminal
            ? new ConsoleProgressBarConsumer(err)
            : new ConsoleProgressBarConsumer(err, FIXED_WIDTH));
    if (size >= 0) {
      builder.setInitialMax(size).setUnit(" MiB", 1 << 20).showSpeed();
    } else {
      builder.setInitialMax(-1).setUnit(" units", 1);
    }
    ProgressBar bar = builder.build();
    boolean bySize = size >= 0;
    return new Progress() {
      @Override
      public void update(long bytes, long units) {
        bar.stepTo(bySize ? Math.min(bytes, size) : units);
        if (bySize) {
          bar.setExtraMessage(" " + units + " units");
        }
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }
}
