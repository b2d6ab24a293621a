package dev.mason.mcp;

/**
 * The message a delegated task's run starts with: the delegating agent's prompt, then what the
 * run must know about its situation (nobody answers questions; the answer is read by an agent),
 * then the context object the delegating agent passed.
 */
final class TaskPrompt {
  private TaskPrompt() {}

  static String of(DelegatedTask task) {
    StringBuilder text = new StringBuilder(task.prompt().strip());
    text.append("\n\n---\nThis task was delegated to you through Mason's MCP server (task ").append(task.id())
        .append(") by another agent working for ").append(task.owner()).append(". Nobody will answer questions while ")
        .append("you work: make reasonable assumptions and say which. Finish with a short answer for that agent: what ")
        .append("you did, which files you changed and what you created in the workspace. Do not drop or delete data ")
        .append("or workspace objects you did not create in this task unless the task asks for it.");
    if (task.contextJson() != null) {
      text.append("\n\nContext from the delegating agent (JSON):\n").append(task.contextJson());
    }
    return text.toString();
  }
}
