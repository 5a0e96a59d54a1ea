package io.coordinate.cache;

import io.coordinate.api.Attempt;
import io.coordinate.api.AttemptState;
import io.coordinate.api.AttemptStatus;
import io.coordinate.api.WorkUnit;
import io.coordinate.api.Worker;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * An attempt is one lease of one unit, not a name: a cached attempt passes every call to the
 * wrapped attempt as it is, never to an attempt of a unit re-created under the same key. Only its
 * unit and worker are handed out as cached handles.
 */
final class CachedAttempt implements Attempt {
  private final CachingCoordinate cache;
  private final Attempt delegate;

  CachedAttempt(CachingCoordinate cache, Attempt delegate) {
    this.cache = cache;
    this.delegate = delegate;
  }

  @Override
  public WorkUnit workUnit() {
    return cache.unitFor(delegate.workUnit(), false);
  }

  @Override
  public Worker worker() {
    return cache.workerFor(delegate.worker(), false);
  }

  @Override
  public AttemptState state() {
    return delegate.state();
  }

  @Override
  public AttemptStatus status() {
    return delegate.status();
  }

  @Override
  public Map<String, Object> data() {
    return delegate.data();
  }

  @Override
  public Instant startTime() {
    return delegate.startTime();
  }

  @Override
  public Optional<Instant> endTime() {
    return delegate.endTime();
  }

  @Override
  public Instant expirationTime() {
    return delegate.expirationTime();
  }

  @Override
  public void renew(Duration extension, Map<String, ?> data) {
    delegate.renew(extension, data);
  }

  @Override
  public void expire(Map<String, ?> data) {
    delegate.expire(data);
  }

  @Override
  public void finish(Map<String, ?> data) {
    delegate.finish(data);
  }

  @Override
  public void fail(Map<String, ?> data) {
    delegate.fail(data);
  }

  @Override
  public void retry(Map<String, ?> data, Duration delay) {
    delegate.retry(data, delay);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CachedAttempt other && other.delegate.equals(delegate);
  }

  @Override
  public int hashCode() {
    return delegate.hashCode();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
