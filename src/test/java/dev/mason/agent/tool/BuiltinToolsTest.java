package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BuiltinToolsTest {
  @Test
  void theBuiltinToolsKeepTheNamesModelsAreTrainedOn() {
    assertThat(BuiltinTools.all()).extracting(Tool::name)
        .containsExactly("Read", "Write", "Edit", "Glob", "Grep", "Bash", "TodoWrite");
  }

  @Test
  void onlyTheToolsThatChangeNothingAreReadOnly() {
    assertThat(BuiltinTools.all()).filteredOn(Tool::readOnly).extracting(Tool::name)
        .containsExactly("Read", "Glob", "Grep");
  }

  @Test
  void everySchemaIsAnObjectWhosePropertiesAreTypedAndDescribed() {
    for (Tool tool : BuiltinTools.all()) {
      assertThat(tool.description()).as(tool.name()).isNotBlank();
      assertThat(problems(tool.name(), tool.inputSchema())).as(tool.name()).isEmpty();
    }
  }

  @Test
  void theInputFieldNamesMatchTheReferenceTools() {
    assertThat(fields("Read")).containsExactly("file_path", "offset", "limit");
    assertThat(fields("Write")).containsExactly("file_path", "content");
    assertThat(fields("Edit")).containsExactly("file_path", "old_string", "new_string", "replace_all");
    assertThat(fields("Glob")).containsExactly("pattern", "path");
    assertThat(fields("Grep")).containsExactly("pattern", "path", "glob", "output_mode", "-i", "-n", "-A", "-B", "-C", "head_limit");
    assertThat(fields("Bash")).containsExactly("command", "timeout", "description");
    assertThat(fields("TodoWrite")).containsExactly("todos");
  }

  @Test
  void aSchemaHandedOutCannotChangeTheTool() {
    Tool read = ToolFixture.builtin("Read");
    read.inputSchema().remove("required");

    assertThat(read.inputSchema().get("required")).isNotNull();
  }

  private static List<String> fields(String tool) {
    List<String> names = new ArrayList<>();
    ToolFixture.builtin(tool).inputSchema().get("properties").fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static List<String> problems(String where, JsonNode schema) {
    List<String> problems = new ArrayList<>();
    if (!schema.path("type").asText().equals("object")) {
      problems.add(where + " is not an object");
    }
    JsonNode properties = schema.path("properties");
    if (!properties.isObject() || properties.isEmpty()) {
      problems.add(where + " has no properties");
    }
    if (!schema.path("required").isArray()) {
      problems.add(where + " lists no required fields");
    }
    schema.path("required").forEach(name -> {
      if (!properties.has(name.asText())) {
        problems.add(where + " requires undeclared " + name.asText());
      }
    });
    properties.fields().forEachRemaining(entry -> {
      JsonNode property = entry.getValue();
      if (property.path("description").asText().isBlank()) {
        problems.add(where + "." + entry.getKey() + " has no description");
      }
      if (!property.has("type")) {
        problems.add(where + "." + entry.getKey() + " has no type");
      }
      if (property.path("type").asText().equals("array")) {
        problems.addAll(problems(where + "." + entry.getKey() + "[]", property.path("items")));
      }
    });
    return problems;
  }
}
