package io.coordinate.cli;

import io.coordinate.api.WorkUnitKey;
import java.util.List;
import picocli.CommandLine.Option;

/** The {@code --key-base64} option of the commands that take keys (see {@link Keys}). */
final class KeyOption {
  @Option(
      names = "--key-base64",
      description = "keys on the command line are base64 (URL-safe or standard) of their bytes,"
          + " not UTF-8 text: for binary keys, shown as base64:... in tables")
  boolean base64;

  WorkUnitKey parse(String argument) {
    return Keys.parse(argument, base64);
  }

  List<WorkUnitKey> parse(List<String> arguments) {
    return arguments.stream().map(this::parse).toList();
  }
}
