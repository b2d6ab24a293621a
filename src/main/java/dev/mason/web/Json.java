package dev.mason.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.util.stream.Collectors;

/**
 * The one JSON mapper, and the reading of request bodies into self-validating records.
 *
 * <p>Strict about types (a number where a string belongs is an error, not coerced), lenient about
 * unknown fields (clients of the systems Mason replaces send extra ones).
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .serializationInclusion(JsonInclude.Include.ALWAYS)
      .withCoercionConfig(LogicalType.Textual, c -> c
          .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
          .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
      .build();

  private Json() {}

  /**
   * Reads a request body into {@code type}, turning every kind of bad input into a 400 that names
   * the field: malformed JSON, a wrong type, or a rule broken in the record's constructor.
   */
  public static <T> T read(String body, Class<T> type) {
    if (body == null || body.isBlank()) {
      throw ApiError.badRequest(null, "the request body is empty; send a JSON object");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw ApiError.badRequest(null, "the request body must be a JSON object, not null");
      }
      return value;
    } catch (ValueInstantiationException e) {
      if (e.getCause() instanceof ApiError apiError) {
        throw apiError;
      }
      throw ApiError.badRequest(fieldOf(e), "invalid value: " + e.getOriginalMessage());
    } catch (InvalidFormatException e) {
      String field = fieldOf(e);
      throw ApiError.badRequest(field, (field == null ? "a value" : field) + " has the wrong type or format: expected "
          + simpleName(e.getTargetType()) + ", got " + e.getValue());
    } catch (MismatchedInputException e) {
      String field = fieldOf(e);
      if (field == null) {
        throw ApiError.badRequest(null, "the request body must be a JSON object");
      }
      throw ApiError.badRequest(field, field + " has the wrong type: expected " + simpleName(e.getTargetType()));
    } catch (JsonMappingException e) {
      throw ApiError.badRequest(fieldOf(e), "invalid request body: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(null, "malformed JSON at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }
  }

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  private static String fieldOf(JsonMappingException e) {
    if (e.getPath().isEmpty()) {
      return null;
    }
    return e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."))
        .replace(".[", "[");
  }

  private static String simpleName(Class<?> type) {
    if (type == null) {
      return "another type";
    }
    if (type == String.class) {
      return "a string";
    }
    if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
      return "a number";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "true or false";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }
}
