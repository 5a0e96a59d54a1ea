package io.coordinate.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.coordinate.api.data.JsonData;
import java.util.Map;

/**
 * The Jackson mapper of the REST API: snake_case property names, data-model values in the tagged
 * forms documented in {@link io.coordinate.rest}, and strict reading (unknown fields, wrong types,
 * coerced scalars and trailing content all fail; explicit nulls are refused by {@link
 * #readObject}) so that a typo never silently changes nothing.
 */
final class Json {
  private Json() {}

  static ObjectMapper mapper() {
    return JsonMapper.builder()
        .addModule(JsonData.module())
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .withCoercionConfig(
            LogicalType.Boolean,
            c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
        // A number or boolean where text belongs ({"key_text": 5}) is a wrong type, not "5".
        .withCoercionConfig(
            LogicalType.Textual,
            c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .build();
  }

  /**
   * Reads a request body that must be a JSON object without nulls (a null would read as "leave
   * unchanged", which is not what the caller wrote).
   */
  static <T> T readObject(ObjectMapper mapper, String body, Class<T> type)
      throws JsonProcessingException {
    JsonNode tree = readTree(mapper, body);
    for (Map.Entry<String, JsonNode> field : tree.properties()) {
      if (field.getValue().isNull()) {
        throw new ApiException(
            400, "malformed_body", "field \"" + field.getKey() + "\" must not be null");
      }
    }
    return mapper.treeToValue(tree, type);
  }

  /**
   * As {@link #readObject}, but an empty body (nothing, or only white space) reads as {@code {}}:
   * for bodies whose every field is optional.
   */
  static <T> T readOptionalObject(ObjectMapper mapper, String body, Class<T> type)
      throws JsonProcessingException {
    return readObject(mapper, body.isBlank() ? "{}" : body, type);
  }

  /**
   * A request body that must be a JSON object, as a tree (nulls inside it allowed: a data map may
   * hold them).
   */
  static JsonNode readTree(ObjectMapper mapper, String body) throws JsonProcessingException {
    JsonNode tree = mapper.readTree(body);
    if (tree == null || !tree.isObject()) {
      throw new ApiException(400, "malformed_body", "the body must be a JSON object");
    }
    return tree;
  }

  /**
   * The data map a JSON object in a request stands for ({@link JsonData#fromJson}).
   *
   * @throws ApiException 400 {@code malformed_body} if it is not a data map in the tagged forms
   */
  static Map<String, Object> dataFromJson(JsonNode node, String field) {
    try {
      return JsonData.fromJson(node, field);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "malformed_body", e.getMessage());
    }
  }
}
