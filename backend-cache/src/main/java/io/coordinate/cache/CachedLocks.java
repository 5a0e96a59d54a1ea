package io.coordinate.cache;

import io.coordinate.api.Locks;
import io.coordinate.api.Namespace;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The locks of a cached namespace: every call goes to the wrapped backend, since locks are state
 * that other processes change all the time. Calls follow the namespace's name like every call on
 * the cached namespace, so after the namespace is destroyed and made anew they act on the new
 * namespace's locks (the call on the old one raised and changed nothing).
 */
final class CachedLocks implements Locks {
  private final CachedNamespace namespace;

  CachedLocks(CachedNamespace namespace) {
    this.namespace = namespace;
  }

  private static Locks of(Namespace n) {
    return n.locks();
  }

  @Override
  public OptionalInt lockAll(String owner, Duration timeout, List<? extends List<?>> paths) {
    return namespace.call(n -> of(n).lockAll(owner, timeout, paths));
  }

  @Override
  public boolean[] lockSome(String owner, Duration timeout, List<? extends List<?>> paths) {
    return namespace.call(n -> of(n).lockSome(owner, timeout, paths));
  }

  @Override
  public Optional<Refusal> renewAll(String owner, Duration timeout, List<? extends List<?>> paths) {
    return namespace.call(n -> of(n).renewAll(owner, timeout, paths));
  }

  @Override
  public List<String> owners(List<? extends List<?>> paths) {
    return namespace.call(n -> of(n).owners(paths));
  }

  @Override
  public Optional<Refusal> unlockAll(String owner, List<? extends List<?>> paths) {
    return namespace.call(n -> of(n).unlockAll(owner, paths));
  }

  @Override
  public void deleteTree(Object top) {
    namespace.run(n -> of(n).deleteTree(top));
  }

  @Override
  public String toString() {
    return "Locks[" + namespace.name() + "]";
  }
}
