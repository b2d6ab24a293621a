package dev.mason.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.EventJson;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The browser's types ({@code web/src/api/types.ts}) against the Java records they mirror: one
 * source of truth, the Java side, and this test fails when the two drift. A TypeScript type marked
 * {@code @java <class>} must have exactly the record's JSON fields, with {@code ?} exactly where
 * the record leaves a null field out; {@code @java-enum} lists the enum's wire values and
 * {@code @java-sealed} the records of a sealed interface. An event record's {@code type} is checked
 * against the type {@link EventJson} writes.
 */
class TypeScriptTypesTest {
  private static final Path TYPES = Path.of("web/src/api/types.ts");
  private static final Pattern DECLARATION = Pattern.compile(
      "/\\*\\*((?:(?!\\*/).)*?)\\*/\\s*export (interface|type) (\\w+)", Pattern.DOTALL);
  private static final Pattern MARKER = Pattern.compile("@java(-enum|-sealed)? ([\\w.]+)((?: \\+\\w+)*)");
  private static final Pattern FIELD = Pattern.compile("^\\s*(\\w+)(\\??):", Pattern.MULTILINE);

  @Test
  void everyMarkedTypeMatchesItsJavaSide() throws IOException {
    String source = Files.readString(TYPES);
    Map<String, Class<?>> javaOf = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<Runnable> sealedChecks = new ArrayList<>();
    Matcher declaration = DECLARATION.matcher(source);
    int checked = 0;
    while (declaration.find()) {
      Matcher marker = MARKER.matcher(declaration.group(1));
      if (!marker.find()) {
        continue;
      }
      checked++;
      String name = declaration.group(3);
      Class<?> java = load(marker.group(2));
      javaOf.put(name, java);
      String body = body(source, declaration.end());
      switch (marker.group(1) == null ? "" : marker.group(1)) {
        case "-enum" -> compare(problems, name, literals(body), wireValues(java));
        case "-sealed" -> sealedChecks.add(() -> compare(problems, name,
            union(body).stream().map(member -> javaOf.containsKey(member) ? javaOf.get(member).getName() : "(unmarked) " + member)
                .collect(Collectors.toCollection(java.util.TreeSet::new)),
            Arrays.stream(java.getPermittedSubclasses()).map(Class::getName).collect(Collectors.toCollection(java.util.TreeSet::new))));
        default -> {
          Map<String, Boolean> expected = jsonFields(java);
          Arrays.stream(marker.group(3).trim().split(" \\+")).map(s -> s.replace("+", "").trim()).filter(s -> !s.isEmpty())
              .forEach(extra -> expected.put(extra, false));
          compare(problems, name, fields(body), expected);
          String type = eventType(java);
          if (type != null && !body.contains("type: \"" + type + "\";")) {
            problems.add(name + ": its type must be the literal \"" + type + "\"");
          }
        }
      }
    }
    sealedChecks.forEach(Runnable::run);
    assertThat(checked).as("marked types in " + TYPES).isGreaterThanOrEqualTo(20);
    assertThat(problems).as("types.ts has drifted from the Java records").isEmpty();
  }

  private static void compare(List<String> problems, String name, Object actual, Object expected) {
    if (!actual.equals(expected)) {
      problems.add(name + ": TypeScript has " + actual + ", Java has " + expected);
    }
  }

  /** Field name → optional, as the record writes it. */
  private static Map<String, Boolean> jsonFields(Class<?> record) {
    Map<String, Boolean> fields = new TreeMap<>();
    if (!record.isRecord()) {
      throw new AssertionError(record + " is not a record");
    }
    JsonInclude classInclude = record.getAnnotation(JsonInclude.class);
    for (RecordComponent component : record.getRecordComponents()) {
      Method accessor = component.getAccessor();
      if (accessor.isAnnotationPresent(JsonIgnore.class)) {
        continue;
      }
      JsonProperty property = accessor.getAnnotation(JsonProperty.class);
      String name = property != null && !property.value().isEmpty() ? property.value() : snake(component.getName());
      JsonInclude include = accessor.getAnnotation(JsonInclude.class) != null ? accessor.getAnnotation(JsonInclude.class) : classInclude;
      fields.put(name, include != null && include.value() == JsonInclude.Include.NON_NULL);
    }
    if (AgentEvent.class.isAssignableFrom(record)) {
      fields.put("type", false);
    }
    return fields;
  }

  private static String eventType(Class<?> java) {
    return EventJson.types().entrySet().stream().filter(e -> e.getValue().equals(java)).map(Map.Entry::getKey).findFirst()
        .orElse(null);
  }

  private static Set<String> wireValues(Class<?> enumType) {
    Method wire = Arrays.stream(enumType.getMethods()).filter(m -> m.isAnnotationPresent(JsonValue.class)).findFirst()
        .orElseThrow(() -> new AssertionError(enumType + " has no @JsonValue"));
    return Arrays.stream(enumType.getEnumConstants()).map(constant -> {
      try {
        return (String) wire.invoke(constant);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }).collect(Collectors.toCollection(java.util.TreeSet::new));
  }

  private static Map<String, Boolean> fields(String body) {
    Map<String, Boolean> fields = new TreeMap<>();
    String withoutComments = body.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    Matcher field = FIELD.matcher(withoutComments);
    while (field.find()) {
      fields.put(field.group(1), !field.group(2).isEmpty());
    }
    return fields;
  }

  private static Set<String> literals(String body) {
    Matcher literal = Pattern.compile("\"([^\"]+)\"").matcher(body);
    Set<String> values = new java.util.TreeSet<>();
    while (literal.find()) {
      values.add(literal.group(1));
    }
    return values;
  }

  private static List<String> union(String body) {
    return Arrays.stream(body.split("\\|")).map(String::trim).map(s -> s.replace(";", "").replace("=", "").trim())
        .filter(s -> !s.isEmpty()).toList();
  }

  /** An interface's braces, or a type alias up to its semicolon. */
  private static String body(String source, int from) {
    int brace = source.indexOf('{', from);
    int semicolon = source.indexOf(';', from);
    if (brace >= 0 && (semicolon < 0 || brace < semicolon || source.substring(from, brace).isBlank())) {
      int depth = 0;
      for (int i = brace; i < source.length(); i++) {
        if (source.charAt(i) == '{') {
          depth++;
        } else if (source.charAt(i) == '}' && --depth == 0) {
          return source.substring(brace + 1, i);
        }
      }
    }
    return source.substring(source.indexOf('=', from) + 1, semicolon);
  }

  private static Class<?> load(String name) {
    String candidate = name;
    while (true) {
      try {
        return Class.forName(candidate);
      } catch (ClassNotFoundException e) {
        int dot = candidate.lastIndexOf('.');
        if (dot < 0) {
          throw new AssertionError("types.ts names a Java class that does not exist: " + name);
        }
        candidate = candidate.substring(0, dot) + "$" + candidate.substring(dot + 1);
      }
    }
  }

  private static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
  }
}
