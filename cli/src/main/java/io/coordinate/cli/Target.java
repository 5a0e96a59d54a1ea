package io.coordinate.cli;

import java.net.URI;
import java.util.Optional;

/**
 * The daemon a command talks to and as whom, once options, environment and configuration file are
 * resolved (see {@link Configuration}), with where each value came from for error messages.
 *
 * @param url the daemon's REST address
 * @param urlSource where the address came from, e.g. {@code "--url"}
 * @param token the admin token, if any
 * @param tokenSource where the token came from; {@code ""} when there is none
 * @param namespace the namespace the command acts on ("" is the default namespace)
 */
record Target(
    URI url, String urlSource, Optional<String> token, String tokenSource, String namespace) {

  /** The namespace as people read it: quoted, or "the default namespace" for "". */
  String namespaceLabel() {
    return describeNamespace(namespace);
  }

  static String describeNamespace(String name) {
    return name.isEmpty() ? "the default namespace" : "namespace \"" + name + "\"";
  }

  @Override
  public String toString() {
    // Never print the token.
    return "Target[" + url + " (" + urlSource + "), token " + (token.isPresent() ? "from "
        + tokenSource : "none") + ", " + namespaceLabel() + "]";
  }
}
