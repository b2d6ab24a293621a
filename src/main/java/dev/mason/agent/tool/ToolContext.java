package dev.mason.agent.tool;

import dev.mason.identity.Caller;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Everything a tool call knows about who asked and where: passed with every call, never kept in
 * globals, so two users' runs never see each other's credentials.
 *
 * @param caller the user the tool acts for, with their workspace token when there is one
 * @param projectId the project the run belongs to
 * @param projectFolder the folder that file tools are confined to
 * @param executionId the run, for logs and events; may be null outside a run (MCP, tests)
 * @param cancellation tells long tools that the run was stopped
 * @param todos receives the list from TodoWrite, to be emitted as a {@code todos} event
 */
public record ToolContext(
    Caller caller,
    UUID projectId,
    Path projectFolder,
    String executionId,
    Cancellation cancellation,
    Consumer<java.util.List<Todo>> todos) {

  public ToolContext {
    Objects.requireNonNull(caller, "caller");
    Objects.requireNonNull(projectFolder, "projectFolder");
    cancellation = cancellation == null ? Cancellation.NEVER : cancellation;
    todos = todos == null ? list -> {} : todos;
  }

  /** One item of the agent's todo list. */
  public record Todo(String content, String status, String id) {}
}
