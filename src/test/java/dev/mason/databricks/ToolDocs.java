package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.Tool;
import java.util.ArrayList;
import java.util.List;

/** Renders the Databricks tools (name, description, arguments, schema) as the markdown of docs/tools.md. */
final class ToolDocs {
  private ToolDocs() {}

  static String render(List<Tool> tools) {
    StringBuilder out = new StringBuilder();
    out.append("# Databricks tools\n\n")
        .append("<!-- Generated from the code by ToolDocsTest; do not edit. Regenerate with:\n")
        .append("     ./mvnw test -Dtest=ToolDocsTest -Dmason.updateDocs=true -->\n\n")
        .append("The tools the agent (and the MCP server) uses on the Databricks workspace. Every call acts as the user who ")
        .append("asked, with their own token, so Unity Catalog and workspace permissions apply to the agent exactly as to them. ")
        .append("Without a configured workspace (`DATABRICKS_HOST`) none of them is offered. A call still running after ")
        .append("`MASON_TOOL_ASYNC_AFTER_SECONDS` (10 s) answers `{\"status\": \"async\", \"operation_id\": ...}` and goes on; ")
        .append("`check_operation_status` collects its result.\n\n")
        .append("They are the chat builder app's 44 tools under the same names, so prompts and skills written for it work. ")
        .append("Actions that destroy something say so in capitals in their descriptions and carry MCP's `destructiveHint`; ")
        .append("what a tool creates is recorded, with its link, in the project's `.mason/resources.json` ")
        .append("(`list_tracked_resources`). Secrets never come back in an answer: connection options and recipient tokens are ")
        .append("left out, and a Lakebase password goes to the project's `.mason/lakebase.pgpass` instead.\n\n")
        .append("| tool | read-only | arguments |\n|---|---|---|\n");
    for (Tool tool : tools) {
      List<String> names = new ArrayList<>();
      tool.inputSchema().path("properties").fieldNames().forEachRemaining(names::add);
      out.append("| [`").append(tool.name()).append("`](#").append(tool.name()).append(") | ")
          .append(tool.readOnly() ? "yes" : "no").append(" | ")
          .append(names.isEmpty() ? "–" : String.join(", ", names)).append(" |\n");
    }
    for (Tool tool : tools) {
      JsonNode schema = tool.inputSchema();
      out.append("\n## ").append(tool.name()).append("\n\n").append(tool.description()).append("\n\n");
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(r -> required.add(r.asText()));
      if (schema.path("properties").isEmpty()) {
        out.append("No arguments.\n");
      } else {
        out.append("| argument | type | required | description |\n|---|---|---|---|\n");
        schema.path("properties").properties().forEach(e -> out.append("| `").append(e.getKey()).append("` | ")
            .append(type(e.getValue())).append(" | ").append(required.contains(e.getKey()) ? "yes" : "no").append(" | ")
            .append(e.getValue().path("description").asText().replace("|", "\\|")).append(" |\n"));
      }
      out.append("\n<details><summary>JSON schema</summary>\n\n```json\n").append(schema.toPrettyString())
          .append("\n```\n\n</details>\n");
    }
    return out.toString();
  }

  private static String type(JsonNode property) {
    String type = property.path("type").isArray()
        ? String.join(" or ", FakeWorkspace.list(property.path("type")).stream().map(JsonNode::asText).toList())
        : property.path("type").asText();
    if (property.has("enum")) {
      List<String> values = new ArrayList<>();
      property.get("enum").forEach(v -> values.add(v.asText()));
      return type + ": " + String.join(", ", values);
    }
    if (type.equals("array")) {
      return "array of " + property.path("items").path("type").asText() + "s";
    }
    return type;
  }
}
