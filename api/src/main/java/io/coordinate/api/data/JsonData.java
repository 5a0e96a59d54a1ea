package io.coordinate.api.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Data maps in JSON. JSON has no byte strings, tuples or UUIDs, so those are tagged objects with a
 * single {@code $}-key: {@code {"$bytes": "<standard base64, padded>"}}, {@code {"$tuple":
 * [items...]}} and {@code {"$uuid": "<canonical text>"}}. Integers are JSON integers (64-bit, or
 * bigger), other numbers JSON numbers. {@link #module()} writes these forms with Jackson; {@link
 * #fromJson} reads them back. A map whose only key is one of the tags cannot be told apart from a
 * tagged value, and non-finite doubles are written as the strings Jackson uses.
 */
public final class JsonData {
  private JsonData() {}

  /** Jackson serializers writing {@link ByteString}, {@link Tuple} and {@link UUID} tagged. */
  public static SimpleModule module() {
    SimpleModule data = new SimpleModule("coordinate-data-values");
    data.addSerializer(ByteString.class, new StdDelegatingSerializer(new BytesForm()));
    data.addSerializer(Tuple.class, new StdDelegatingSerializer(new TupleForm()));
    data.addSerializer(UUID.class, new StdDelegatingSerializer(new UuidForm()));
    return data;
  }

  /**
   * The data map a JSON object stands for: the inverse of how data maps are written. The tagged
   * objects {@code {"$bytes": base64}}, {@code {"$tuple": [...]}} and {@code {"$uuid": text}}
   * become {@link ByteString}, {@link Tuple} and {@link UUID}; integers become {@code Long} (or
   * {@code BigInteger} beyond 64 bits), other numbers {@code Double}. {@code null} or a missing
   * node is the empty map.
   *
   * @param field how to name {@code node} in an error message
   * @throws IllegalArgumentException if {@code node} is not an object or a tagged object's value
   *     is not of its form; the message names the offending field
   */
  public static Map<String, Object> fromJson(JsonNode node, String field) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new IllegalArgumentException("field \"" + field + "\" must be an object");
    }
    return mapFromJson(node, field);
  }

  private static Map<String, Object> mapFromJson(JsonNode node, String path) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.put(e.getKey(), valueFromJson(e.getValue(), path + "." + e.getKey()));
    }
    return out;
  }

  private static Object valueFromJson(JsonNode node, String path) {
    return switch (node.getNodeType()) {
      case NULL -> null;
      case BOOLEAN -> node.booleanValue();
      case STRING -> node.textValue();
      case NUMBER -> node.isIntegralNumber()
          ? (node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue())
          : (Object) node.doubleValue();
      case ARRAY -> {
        List<Object> items = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          items.add(valueFromJson(node.get(i), path + "[" + i + "]"));
        }
        yield items;
      }
      case OBJECT -> node.size() == 1 && isTag(node.fieldNames().next())
          ? taggedFromJson(node, path)
          : mapFromJson(node, path);
      default -> throw badForm(path, "is not a data value");
    };
  }

  private static boolean isTag(String name) {
    return name.equals("$bytes") || name.equals("$tuple") || name.equals("$uuid");
  }

  private static Object taggedFromJson(JsonNode node, String path) {
    Map.Entry<String, JsonNode> tag = node.properties().iterator().next();
    JsonNode v = tag.getValue();
    switch (tag.getKey()) {
      case "$bytes" -> {
        if (v.isTextual()) {
          try {
            return ByteString.wrap(Base64.getDecoder().decode(v.textValue()));
          } catch (IllegalArgumentException e) {
            // fall through to the error below
          }
        }
        throw badForm(path, "is not {\"$bytes\": \"<standard base64>\"}");
      }
      case "$tuple" -> {
        if (v.isArray()) {
          @SuppressWarnings("unchecked")
          List<Object> items = (List<Object>) valueFromJson(v, path + ".$tuple");
          return new Tuple(items);
        }
        throw badForm(path, "is not {\"$tuple\": [items...]}");
      }
      default -> {
        // UUID.fromString accepts abbreviated forms; only the canonical 36-character text is one.
        if (v.isTextual() && v.textValue().length() == 36) {
          try {
            UUID uuid = UUID.fromString(v.textValue());
            if (uuid.toString().equals(v.textValue().toLowerCase(Locale.ROOT))) {
              return uuid;
            }
          } catch (IllegalArgumentException e) {
            // fall through to the error below
          }
        }
        throw badForm(path, "is not {\"$uuid\": \"<canonical UUID text>\"}");
      }
    }
  }

  private static IllegalArgumentException badForm(String path, String what) {
    return new IllegalArgumentException("field \"" + path + "\" " + what);
  }

  private static final class BytesForm extends StdConverter<ByteString, Map<String, String>> {
    @Override
    public Map<String, String> convert(ByteString value) {
      return Map.of("$bytes", Base64.getEncoder().encodeToString(value.toByteArray()));
    }
  }

  private static final class TupleForm extends StdConverter<Tuple, Map<String, List<Object>>> {
    @Override
    public Map<String, List<Object>> convert(Tuple value) {
      return Map.of("$tuple", value.items());
    }
  }

  private static final class UuidForm extends StdConverter<UUID, Map<String, String>> {
    @Override
    public Map<String, String> convert(UUID value) {
      return Map.of("$uuid", value.toString());
    }
  }
}
