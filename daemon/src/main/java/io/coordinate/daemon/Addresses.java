package io.coordinate.daemon;

import java.net.InetSocketAddress;

/** Parses {@code HOST:PORT}, {@code :PORT}, {@code PORT} and {@code [v6]:PORT} listen addresses. */
final class Addresses {
  private Addresses() {}

  static InetSocketAddress parse(String text, int defaultPort) {
    String host = "127.0.0.1";
    String port = text;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("bad address " + text + ": missing ]");
      }
      host = text.substring(1, close);
      port = text.length() > close + 1 && text.charAt(close + 1) == ':' ? text.substring(close + 2) : "";
    } else if (text.contains(":")) {
      int colon = text.lastIndexOf(':');
      host = colon == 0 ? "127.0.0.1" : text.substring(0, colon);
      port = text.substring(colon + 1);
    } else if (!text.chars().allMatch(Character::isDigit)) {
      host = text;
      port = "";
    }
    int p;
    try {
      p = port.isEmpty() ? defaultPort : Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in address " + text);
    }
    if (p < 0 || p > 65535) {
      throw new IllegalArgumentException("port out of range in address " + text);
    }
    return new InetSocketAddress(host, p);
  }
}
