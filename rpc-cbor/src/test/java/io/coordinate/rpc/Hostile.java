package io.coordinate.rpc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** The hostile byte sequences under {@code src/test/resources/hostile}. */
final class Hostile {
  private Hostile() {}

  /** The bytes of {@code hostile/NAME.hex}: hex pairs, whitespace ignored, '#' lines comments. */
  static byte[] bytes(String name) {
    String resource = "/hostile/" + name + ".hex";
    try (InputStream in = Hostile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource " + resource);
      }
      StringBuilder hex = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#")) {
          hex.append(line.replaceAll("\\s+", ""));
        }
      }
      return HexFormat.of().parseHex(hex);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
