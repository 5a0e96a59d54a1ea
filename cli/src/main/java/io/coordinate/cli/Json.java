package io.coordinate.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.coordinate.api.data.JsonData;
import java.io.PrintWriter;

/**
 * The JSON the tool reads and writes: snake_case records, data values in their tagged forms
 * ({@link JsonData}). A single document is indented; a line of JSON lines is compact.
 */
final class Json {
  private Json() {}

  /** Data values and inputs may hold long strings; the daemon's own limits bound them. */
  private static final StreamReadConstraints LONG_STRINGS =
      StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build();

  static final ObjectMapper MAPPER =
      JsonMapper.builder(JsonFactory.builder().streamReadConstraints(LONG_STRINGS).build())
          .addModule(JsonData.module())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .build();

  private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

  /** Reads YAML, and so JSON, into trees. */
  static final YAMLMapper YAML =
      YAMLMapper.builder(YAMLFactory.builder().streamReadConstraints(LONG_STRINGS).build()).build();

  /** Prints one indented document. */
  static void printDocument(PrintWriter out, Object value) {
    out.println(write(PRETTY, value));
  }

  /** Prints one compact line of JSON lines. */
  static void printLine(PrintWriter out, Object value) {
    out.println(write(MAPPER, value));
  }

  /** Data as one compact JSON text, for tables. */
  static String compact(Object value) {
    return write(MAPPER, value);
  }

  /** Data as indented JSON text, for detail views. */
  static String indented(Object value) {
    return write(PRETTY, value);
  }

  private static String write(ObjectMapper mapper, Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
