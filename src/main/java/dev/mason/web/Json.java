package dev.mason.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
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
import dev.mason.common.Refusal;
import java.util.stream.Collectors;

/**
 * The one JSON mapper, and the reading of request bodies into self-validating records.
 *
 * <p>Strict about types (a number where a string belongs is an error, not coerced), lenient about
 * unknown fields (clients of the systems Mason replaces send extra ones).
 */
public final class Json {
  /** Request bodies and stored JSON deeper than this are refused: real ones are a few levels deep. */
  public static final int MAX_NESTING = 200;

  public static final ObjectMapper MAPPER = JsonMapper.builder(new JsonFactoryBuilder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .characterEscapes(new SurrogateEscapes())
          .build())
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
      if (e.getCause() instanceof Refusal refusal) {
        throw refusal;
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
    } catch (StreamConstraintsException e) {
      throw ApiError.badRequest(null, "the request body is nested too deeply or too large: " + e.getOriginalMessage());
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      throw ApiError.badRequest(null, "malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
          + ", column " + at.getColumnNr()) + ": " + e.getOriginalMessage());
    }
  }

  /**
   * Writes every UTF-16 surrogate as a backslash-u escape. A lone surrogate has no UTF-8
   * form, so written raw it would reach a client as {@code ?}; escaped, a client reads back the
   * very string Mason holds. A pair is written as its two escapes, which JSON reads as the one
   * character it is.
   */
  private static final class SurrogateEscapes extends CharacterEscapes {
    private final int[] ascii = standardAsciiEscapesForJSON();

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return Character.isSurrogate((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
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
