package dev.mason.skill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolResult;
import dev.mason.common.Refusal;
import dev.mason.web.Json;
import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * The {@code Skill} tool: the model loads a skill's instructions when a task calls for them,
 * instead of carrying every skill in its prompt.
 *
 * <p>Input {@code {"skill": name}} returns the SKILL.md body and the skill's other files;
 * {@code {"skill": name, "file": path}} returns one of those files. Only the skills enabled in the
 * context's project can be loaded (all of the catalog when the context has no project).
 *
 * <p>Stateless: the catalog and the project's choice are looked up on every call.
 */
public final class SkillTool implements Tool {
  public static final String NAME = "Skill";

  private final SkillCatalog catalog;

  public SkillTool(SkillCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "Loads a skill: tested instructions for one kind of Databricks work (SQL, jobs, pipelines, "
        + "Unity Catalog, dashboards, apps, ...) or one way of working (planning, debugging, review). Call it with the skill's name, from the skills listed in your instructions, "
        + "before starting that kind of work. It returns the skill's instructions and lists its other "
        + "files; call it again with 'file' to read one of them.";
  }

  @Override
  public ObjectNode inputSchema() {
    ObjectNode schema = Json.MAPPER.createObjectNode().put("type", "object");
    ObjectNode properties = schema.putObject("properties");
    properties.putObject("skill").put("type", "string")
        .put("description", "The skill's name, e.g. databricks-sql.");
    properties.putObject("file").put("type", "string")
        .put("description", "Optional: one of the files the skill lists, relative to the skill, e.g. reference.md. "
            + "Leave out to get the skill's main instructions.");
    schema.putArray("required").add("skill");
    schema.put("additionalProperties", false);
    return schema;
  }

  @Override
  public boolean readOnly() {
    return true;
  }

  @Override
  public ToolResult execute(ToolContext context, JsonNode input) {
    List<Skill> enabled;
    try {
      enabled = catalog.enabled(context.caller(), context.projectId());
    } catch (Refusal e) {
      return ToolResult.error("Skills are not available: " + e.getMessage() + ".");
    }
    JsonNode skillField = input == null ? null : input.get("skill");
    if (skillField == null || !skillField.isTextual() || skillField.asText().isBlank()) {
      return ToolResult.error("'skill' is required: the name of a skill. " + available(enabled));
    }
    String given = skillField.asText().strip();
    String resolved = catalog.resolve(given);
    String name = resolved == null ? given : resolved;
    Optional<Skill> found = enabled.stream().filter(s -> s.name().equals(name)).findFirst();
    if (found.isEmpty()) {
      String why = catalog.skill(name).isPresent() ? "is disabled in this project" : "does not exist";
      return ToolResult.error("Skill '" + name + "' " + why + ". " + available(enabled));
    }
    Skill skill = found.get();
    JsonNode fileField = input.get("file");
    if (fileField == null || fileField.isNull()) {
      return ToolResult.ok(instructions(skill));
    }
    if (!fileField.isTextual()) {
      return ToolResult.error("'file' must be text: one of the files skill '" + name + "' lists.");
    }
    return file(skill, fileField.asText().strip());
  }

  private static String instructions(Skill skill) {
    StringBuilder out = new StringBuilder()
        .append("# Skill: ").append(skill.name()).append("\n\n")
        .append(skill.body().strip()).append('\n');
    List<String> others = skill.otherFiles();
    if (!others.isEmpty()) {
      out.append("\n---\nOther files of this skill (read one with {\"skill\": \"").append(skill.name())
          .append("\", \"file\": \"<path>\"}):\n");
      others.forEach(f -> out.append("- ").append(f).append('\n'));
    }
    return out.toString();
  }

  private static ToolResult file(Skill skill, String path) {
    if (!skill.files().contains(path)) {
      String listing = skill.otherFiles().isEmpty() ? "It has no other files."
          : "Its files: " + String.join(", ", skill.otherFiles()) + ".";
      return ToolResult.error("Skill '" + skill.name() + "' has no file '" + path + "'. " + listing);
    }
    try {
      return ToolResult.ok(skill.source().read(path));
    } catch (IOException e) {
      return ToolResult.error("Cannot read " + path + " of skill '" + skill.name() + "': " + e.getMessage());
    }
  }

  private static String available(List<Skill> enabled) {
    return enabled.isEmpty() ? "No skills are enabled in this project."
        : "Available skills: " + String.join(", ", enabled.stream().map(Skill::name).toList()) + ".";
  }
}
