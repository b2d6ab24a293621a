package dev.mason.agent.tool;

import java.util.List;

/** The tools every agent run has, before the Databricks tools are added. */
public final class BuiltinTools {
  private BuiltinTools() {}

  /**
   * Read, Write, Edit, Glob, Grep, Bash and TodoWrite. New instances each time, though they are
   * stateless; a runtime that must not offer a shell filters out {@code Bash} by name.
   */
  public static List<Tool> all() {
    return List.of(new ReadTool(), new WriteTool(), new EditTool(), new GlobTool(), new GrepTool(),
        new BashTool(), new TodoWriteTool());
  }
}
