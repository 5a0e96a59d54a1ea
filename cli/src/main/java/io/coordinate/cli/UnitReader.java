package io.coordinate.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.coordinate.api.InvalidRequestException;
import io.coordinate.api.NewWorkUnit;
import io.coordinate.api.WorkUnitKey;
import io.coordinate.api.WorkUnitMeta;
import io.coordinate.api.data.JsonData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads work units to add, one a line, without holding more than a line in memory. Two forms:
 *
 * <ul>
 *   <li>{@link Format#KEYS}: each line is a key (UTF-8 text, or base64 with {@code --key-base64});
 *       the unit has no data and priority 0.
 *   <li>{@link Format#JSON_LINES}: each line is {@code {"key": ..., "data": {...}, "priority":
 *       n}}; {@code key} is a string or {@code {"$bytes": base64}}, {@code data} a data map in
 *       the tagged forms, both {@code data} and {@code priority} optional ({@code --key-base64} does
 *       not apply: JSON has its own form for bytes).
 * </ul>
 *
 * {@link Format#AUTO} takes JSON lines when the first line that is not empty starts with {@code {}.
 * Empty lines are skipped; a trailing carriage return is dropped.
 */
final class UnitReader {
  /** How lines are read. */
  enum Format {
    AUTO,
    KEYS,
    JSON_LINES
  }

  private static final Set<String> FIELDS = Set.of("key", "data", "priority");

  private final BufferedReader lines;
  private final boolean keyBase64;
  private final String source;
  private Format format;
  private long lineNumber;
  private long lastLineChars;

  UnitReader(Input input, Format format, boolean keyBase64) {
    // Strict decoding: a key that is not UTF-8 must not be changed silently.
    this.lines = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)), 1 << 16);
    this.format = format;
    this.keyBase64 = keyBase64;
    this.source = input.name();
  }

  /**
   * The next unit, or {@code null} at the end.
   *
   * @throws CliFailure (failed) naming the line if it cannot be read or is malformed
   */
  NewWorkUnit next() {
    String line;
    do {
      try {
        line = lines.readLine();
      } catch (CharacterCodingException e) {
        throw CliFailure.failed(where(lineNumber + 1) + "is not UTF-8 text"
            + (format == Format.JSON_LINES ? "" : "; give binary keys with --key-base64"));
      } catch (IOException e) {
        throw CliFailure.failed("cannot read " + source + ": " + e.getMessage(), e);
      }
      if (line == null) {
        return null;
      }
      lineNumber++;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
    } while (line.isEmpty());
    lastLineChars = line.length();
    if (format == Format.AUTO) {
      format = line.startsWith("{") ? Format.JSON_LINES : Format.KEYS;
    }
    try {
      return format == Format.JSON_LINES ? jsonLine(line) : NewWorkUnit.of(key(line), Map.of());
    } catch (IllegalArgumentException | InvalidRequestException | CliFailure e) {
      throw CliFailure.failed(where(lineNumber) + e.getMessage());
    }
  }

  /** The number of the line read last (from 1). */
  long lineNumber() {
    return lineNumber;
  }

  /** The length of the line read last, a measure of the unit's size on the wire. */
  long lastLineChars() {
    return lastLineChars;
  }

  private String where(long line) {
    return source + " line " + line + ": ";
  }

  private WorkUnitKey key(String text) {
    return Keys.parse(text, keyBase64);
  }

  private NewWorkUnit jsonLine(String line) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(
          "not a JSON object {\"key\": ..., \"data\": {...}, \"priority\": n}");
    }
    for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new IllegalArgumentException(
            "unknown field \"" + name + "\" (known: key, data, priority)");
      }
    }
    if (!node.has("key")) {
      throw new IllegalArgumentException("no \"key\"");
    }
    WorkUnitKey key = Keys.fromJson(node.get("key"));
    double priority = 0;
    JsonNode p = node.get("priority");
    if (p != null && !p.isNull()) {
      if (!p.isNumber()) {
        throw new IllegalArgumentException("\"priority\" must be a number");
      }
      priority = p.doubleValue();
    }
    return NewWorkUnit.of(key, JsonData.fromJson(node.get("data"), "data"),
        WorkUnitMeta.ofPriority(priority));
  }
}
