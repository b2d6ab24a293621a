package dev.mason.agent;

import dev.mason.project.ConversationSettings;
import java.util.List;

/**
 * The agent's instructions for one run, written from the project and conversation settings, the
 * project's CLAUDE.md and the enabled skills. Only tools that are actually offered are named.
 */
public final class SystemPrompt {
  private SystemPrompt() {}

  /** A skill as the prompt lists it. */
  public record SkillLine(String name, String description) {}

  /**
   * @param workspaceUrl the workspace's URL, or null when no workspace is configured
   * @param claudeMd the project's CLAUDE.md, or null
   * @param toolNames the tools offered in this run
   */
  public static String build(String projectName, ConversationSettings settings, String workspaceUrl,
      String claudeMd, List<SkillLine> skills, List<String> toolNames) {
    StringBuilder p = new StringBuilder();
    p.append("You are Mason, an engineer working for the user on their Databricks workspace and in the project folder \"")
        .append(projectName).append("\" (your working directory; file tools are confined to it).\n\n");
    p.append("""
        How to work:
        - Before acting, state a plan of two to four lines; then do the work with the tools, and check the result at the end.
        - Keep answers short. Show results (tables, ids, links), not narration.
        - Record every resource you create on the workspace (tables, volumes, jobs, pipelines) in CLAUDE.md under Resources, so it can be found and cleaned up later.
        - When a skill covers the task, load it with the Skill tool first.
        - If a call fails with a permission error, say which permission the user lacks; do not try to work around it.
        """);
    p.append("\n## Settings of this conversation\n");
    if (settings.clusterId() != null && !settings.clusterId().equals("__serverless__")) {
      p.append("- Compute: run code on cluster ").append(settings.clusterId()).append(".\n");
    } else {
      p.append("- Compute: serverless (no cluster chosen).\n");
    }
    line(p, "SQL warehouse", settings.warehouseId(), "pick a running warehouse when one is needed");
    line(p, "Default catalog", settings.defaultCatalog(), "ask or choose one the user can write to");
    line(p, "Default schema", settings.defaultSchema(), "ask or choose one the user can write to");
    if (settings.defaultCatalog() != null && settings.defaultSchema() != null) {
      p.append("- Name tables fully: ").append(settings.defaultCatalog()).append('.').append(settings.defaultSchema())
          .append(".<table>. Raw files go to /Volumes/").append(settings.defaultCatalog()).append('/')
          .append(settings.defaultSchema()).append("/raw_data.\n");
    }
    line(p, "Workspace folder (for uploads and pipeline sources)", settings.workspaceFolder(), "not set");
    if (workspaceUrl != null) {
      p.append("\n## Links\nWorkspace: ").append(workspaceUrl).append("\n")
          .append("Link what you create: tables ").append(workspaceUrl).append("/explore/data/{catalog}/{schema}/{table}, ")
          .append("jobs ").append(workspaceUrl).append("/jobs/{job_id}, ")
          .append("pipelines ").append(workspaceUrl).append("/pipelines/{pipeline_id}, ")
          .append("workspace files ").append(workspaceUrl).append("/#workspace{path}.\n");
    } else {
      p.append("\nNo Databricks workspace is configured: work only in the project folder.\n");
    }
    if (!toolNames.isEmpty()) {
      p.append("\n## Tools available\n").append(String.join(", ", toolNames)).append("\n");
    }
    if (!skills.isEmpty()) {
      p.append("\n## Skills (load with the Skill tool)\n");
      skills.forEach(s -> p.append("- ").append(s.name()).append(": ").append(s.description().replace('\n', ' ')).append('\n'));
    }
    if (claudeMd != null && !claudeMd.isBlank()) {
      p.append("\n## The project's CLAUDE.md\n").append(claudeMd.strip()).append('\n');
    }
    return p.toString();
  }

  private static void line(StringBuilder p, String label, String value, String whenMissing) {
    p.append("- ").append(label).append(": ").append(value == null ? "(" + whenMissing + ")" : value).append(".\n");
  }
}
