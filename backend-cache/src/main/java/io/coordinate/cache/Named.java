package io.coordinate.cache;

import io.coordinate.api.GoneException;
import io.coordinate.api.NotFoundException;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A cached handle that means whatever object has its name now. It holds the wrapped backend's
 * handle of the object last seen under that name; when that handle answers "gone" (the object was
 * deleted, perhaps re-created, here or behind the cache's back), it looks the name up again once
 * and repeats the call on what it finds. If nothing has the name any more, the caller gets the
 * original "gone".
 *
 * @param <D> the wrapped backend's handle type
 */
abstract class Named<D> {
  private volatile D delegate;

  Named(D delegate) {
    this.delegate = delegate;
  }

  /** The wrapped handle last seen under this name. */
  final D current() {
    return delegate;
  }

  /** The wrapped backend's object of this name now, looked up without creating it. */
  abstract Optional<D> lookUp();

  /** Removes this handle from its cache: nothing has its name any more. */
  abstract void forget();

  /** Takes {@code fresh}, just returned by the wrapped backend for this name, as the object. */
  final void adopt(D fresh) {
    if (!fresh.equals(delegate)) {
      delegate = fresh;
    }
  }

  final <T> T call(Function<D, T> operation) {
    D seen = delegate;
    try {
      return operation.apply(seen);
    } catch (GoneException gone) {
      return operation.apply(refresh(seen, gone));
    }
  }

  final void run(Consumer<D> operation) {
    call(
        d -> {
          operation.accept(d);
          return null;
        });
  }

  /** After {@code gone} from {@code stale}: the object now named so, or {@code gone} again. */
  private D refresh(D stale, GoneException gone) {
    Optional<D> found;
    try {
      found = lookUp();
    } catch (GoneException | NotFoundException parentMissing) {
      found = Optional.empty();
    }
    if (found.isEmpty()) {
      forget(); // so that a lookup by name asks the wrapped backend, which answers not-found
      throw gone;
    }
    D fresh = found.get();
    if (fresh.equals(stale)) {
      throw gone; // the same object: what went was something else the call touched
    }
    delegate = fresh;
    return fresh;
  }
}
