package io.coordinate.transfer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coordinate.api.InvalidRequestException;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an export file (see {@link ExportFormat}) as batches of consecutive lines for an import:
 * a batch holds at most a given number of units, all of one spec, so each batch is one restore
 * (one transaction). It checks the header first and, at the end, that the file holds what its end
 * record says, so a file cut short is not imported as if whole.
 */
public final class ExportReader implements Closeable {
  /** Consecutive lines of the file, from line {@code firstLine}; {@code units} of them units. */
  public record Batch(long firstLine, List<String> lines, int units) {
    /** The line after this batch: where an import resumes once this batch is applied. */
    public long nextLine() {
      return firstLine + lines.size();
    }
  }

  private final ObjectMapper mapper = ExportFormat.mapper();
  private final BufferedReader in;
  private final JsonNode header;
  private long lineNumber = 1; // of the last line read
  /** A line of the file with its record type and, for a unit, its spec. */
  private record Line(String text, String type, String spec) {
    boolean isUnit() {
      return type.equals(ExportFormat.WORK_UNIT);
    }
  }

  private Line pending; // a line read ahead that starts the next batch
  private final long[] seen = new long[3]; // specs, workers, units
  private boolean ended;

  /** Opens the file and reads its header; {@code in} is closed with this reader. */
  public ExportReader(InputStream in) {
    this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    String first = readLine();
    if (first == null) {
      throw ExportFormat.bad(1, "the file is empty: an export file begins with its header record");
    }
    header = parse(first, 1);
    ExportFormat.checkHeader(header, 1);
  }

  /** The header record. */
  public JsonNode header() {
    return header;
  }

  /** The units the header says the namespace held when the export began. */
  public long expectedUnits() {
    return header.path("work_units").asLong(0);
  }

  /** The namespace the file was exported from. */
  public String namespace() {
    return header.path("namespace").asText("");
  }

  /**
   * Skips to line {@code line} (an import resuming where it stopped): the lines before it were
   * applied already. Returns how many units were skipped.
   */
  public long skipTo(long line) {
    long units = 0;
    while (lineNumber + 1 < line) {
      Line l = next();
      if (l == null) {
        throw ExportFormat.bad(lineNumber, "the file ends before line " + line);
      }
      if (l.isUnit()) {
        units++;
      }
    }
    return units;
  }

  /**
   * The next batch: at most {@code maxUnits} units, all of one spec, with the other records in
   * between; empty at the end of the file.
   *
   * @throws InvalidRequestException if the file is malformed or cut short
   */
  public Batch next(int maxUnits) {
    List<String> lines = new ArrayList<>();
    long first = lineNumber + 1;
    String spec = null;
    int units = 0;
    while (true) {
      Line l = next();
      if (l == null) {
        return new Batch(first, lines, units);
      }
      if (l.isUnit()) {
        if (units > 0 && (units >= maxUnits || !l.spec().equals(spec))) {
          pushBack(l);
          return new Batch(first, lines, units);
        }
        spec = l.spec();
        units++;
      } else if (units > 0) {
        pushBack(l);
        return new Batch(first, lines, units);
      }
      lines.add(l.text());
    }
  }

  /** The next line, read ahead or from the file, with its checks; null at the end. */
  private Line next() {
    if (pending != null) {
      Line l = pending;
      pending = null;
      lineNumber++;
      return l;
    }
    String text = readLine();
    if (text == null) {
      if (!ended) {
        throw ExportFormat.bad(lineNumber + 1,
            "the file ends without its end record: it was cut short, import it again once whole");
      }
      return null;
    }
    lineNumber++;
    if (text.isBlank()) {
      throw ExportFormat.bad(lineNumber, "an empty line: every line of an export is a record");
    }
    if (ended) {
      throw ExportFormat.bad(lineNumber, "a record after the end record");
    }
    JsonNode r = parse(text, lineNumber);
    String type = ExportFormat.typeOf(r, lineNumber);
    String spec = null;
    switch (type) {
      case ExportFormat.WORK_SPEC -> seen[0]++;
      case ExportFormat.WORKER -> seen[1]++;
      case ExportFormat.WORK_UNIT -> {
        seen[2]++;
        spec = ExportFormat.text(r, "spec", lineNumber);
      }
      case ExportFormat.END -> checkEnd(r, lineNumber);
      default -> throw ExportFormat.bad(lineNumber, "a second header record");
    }
    return new Line(text, type, spec);
  }

  private void pushBack(Line l) {
    pending = l;
    lineNumber--;
  }

  private void checkEnd(JsonNode end, long line) {
    long specs = end.path("work_specs").asLong(-1);
    long workers = end.path("workers").asLong(-1);
    long units = end.path("work_units").asLong(-1);
    if (specs != seen[0] || workers != seen[1] || units != seen[2]) {
      throw ExportFormat.bad(line, "the end record counts " + specs + " specs, " + workers
          + " workers and " + units + " units, but the file holds " + seen[0] + ", " + seen[1]
          + " and " + seen[2]);
    }
    ended = true;
  }

  private String readLine() {
    try {
      return in.readLine();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode parse(String text, long line) {
    try {
      return mapper.readTree(text);
    } catch (JsonProcessingException e) {
      throw ExportFormat.bad(line, "not a JSON record: " + e.getOriginalMessage());
    }
  }

  /** Parses a batch's lines, for an import in this process. */
  public List<JsonNode> records(Batch batch) {
    List<JsonNode> out = new ArrayList<>(batch.lines().size());
    long line = batch.firstLine();
    for (String text : batch.lines()) {
      out.add(parse(text, line++));
    }
    return out;
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
