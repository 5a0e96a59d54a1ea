package io.coordinate.api;

import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A server's view of the store's maintenance mode, read again at most once per refresh interval,
 * so that every request can ask without a round trip while a change made through another daemon on
 * the same store shows within the interval. Only one caller reads at a time; the others meanwhile
 * take the last known state. When the store cannot be read, the caller that tried fails as any
 * call to the store would, and the last known state stands for the others until the next interval.
 */
public final class MaintenanceWatch {
  /** How stale the view may be: a change made elsewhere shows within this. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(1);

  private record Sample(MaintenanceState state, long readAtNanos) {}

  private final Coordinate coordinate;
  private final long refreshNanos;
  private final LongSupplier nanoTime;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile Sample sample;

  public MaintenanceWatch(Coordinate coordinate) {
    this(coordinate, DEFAULT_REFRESH, System::nanoTime);
  }

  /** {@code nanoTime} is a monotonic time source, like {@link System#nanoTime}. */
  public MaintenanceWatch(Coordinate coordinate, Duration refresh, LongSupplier nanoTime) {
    this.coordinate = coordinate;
    this.refreshNanos = refresh.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * The store's maintenance state as last read, reading it again when the interval has passed.
   *
   * @throws BackendUnavailableException when this call read the store and could not
   */
  public MaintenanceState current() {
    Sample s = sample;
    long now = nanoTime.getAsLong();
    if (s != null && now - s.readAtNanos() < refreshNanos) {
      return s.state();
    }
    if (s != null && !reading.tryLock()) {
      return s.state(); // another caller is reading it right now
    }
    if (s == null) {
      reading.lock();
    }
    try {
      Sample again = sample;
      if (again != null && again != s && now - again.readAtNanos() < refreshNanos) {
        return again.state();
      }
      try {
        sample = new Sample(coordinate.maintenance(), now);
      } catch (BackendUnavailableException e) {
        if (again != null) {
          sample = new Sample(again.state(), now); // the others go on with it until next time
        }
        throw e; // this request would wait for the store again: it fails now instead
      }
      return sample.state();
    } finally {
      reading.unlock();
    }
  }

  /**
   * Throws {@link MaintenanceException} naming {@code what} if maintenance mode is on.
   *
   * @param what the refused action, as the message names it ("adding work units")
   */
  public void refuseWhileOn(String what) {
    MaintenanceState state = current();
    if (state.on()) {
      throw MaintenanceException.refusing(what, state);
    }
  }

  /** Changes the store's maintenance mode and shows the change here at once. */
  public MaintenanceState set(boolean on, String reason) {
    coordinate.setMaintenance(on, reason);
    MaintenanceState state = coordinate.maintenance();
    sample = new Sample(state, nanoTime.getAsLong());
    return state;
  }
}
