package io.coordinate.cli;

import io.coordinate.api.Coordinate;
import io.coordinate.api.Namespace;
import io.coordinate.api.NoSuchWorkSpecException;
import io.coordinate.api.WorkSpec;
import io.coordinate.client.RemoteCoordinate;
import java.util.Optional;

/**
 * One command's connection to the daemon: a remote client of the {@link Target}, opened on first
 * use and closed with the session.
 *
 * <p>Only {@code add-spec} creates a namespace. Every other command looks it up first, so that a
 * mistyped {@code --namespace} reads as empty (or as "no such work spec") instead of leaving a new
 * namespace behind.
 */
final class Session implements AutoCloseable {
  private final Target target;
  private RemoteCoordinate remote;

  Session(Target target) {
    this.target = target;
  }

  Target target() {
    return target;
  }

  RemoteCoordinate remote() {
    if (remote == null) {
      RemoteCoordinate.Settings settings = RemoteCoordinate.Settings.of(target.url());
      if (target.token().isPresent()) {
        settings = settings.withAdminToken(target.token().get());
      }
      remote = RemoteCoordinate.connect(settings);
    }
    return remote;
  }

  /** The daemon's whole store, for commands about more than one namespace. */
  Coordinate coordinate() {
    return remote();
  }

  /** The target namespace, created if it does not exist. */
  Namespace namespace() {
    return remote().namespace(target.namespace());
  }

  /** The target namespace if it exists. */
  Optional<Namespace> existingNamespace() {
    if (!remote().namespaceNames().contains(target.namespace())) {
      return Optional.empty();
    }
    return Optional.of(remote().namespace(target.namespace()));
  }

  /**
   * A work spec of the target namespace.
   *
   * @throws NoSuchWorkSpecException if it (or the namespace) does not exist
   */
  WorkSpec workSpec(String name) {
    return existingNamespace()
        .orElseThrow(() -> new NoSuchWorkSpecException(name))
        .workSpec(name);
  }

  @Override
  public void close() {
    if (remote != null) {
      remote.close();
    }
  }
}
