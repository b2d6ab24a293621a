package dev.mason.agent.tool;

import java.util.ArrayList;
import java.util.List;

/** The tools every agent run has, before the Databricks tools are added. */
public final class BuiltinTools {
  private BuiltinTools() {}

  /** Read, Write, Edit, Glob, Grep, Bash (on the host) and TodoWrite. */
  public static List<Tool> all() {
    return all(new BashShell.Host());
  }

  /**
   * Read, Write, Edit, Glob, Grep, Bash and TodoWrite, with Bash running where {@code shell} says,
   * and left out when it is {@link BashShell.Off}. New instances each time, though they are stateless.
   */
  public static List<Tool> all(BashShell shell) {
    List<Tool> tools = new ArrayList<>(List.of(new ReadTool(), new WriteTool(), new EditTool(), new GlobTool(), new GrepTool()));
    if (!(shell instanceof BashShell.Off)) {
      tools.add(new BashTool(shell));
    }
    tools.add(new TodoWriteTool());
    return List.copyOf(tools);
  }
}
