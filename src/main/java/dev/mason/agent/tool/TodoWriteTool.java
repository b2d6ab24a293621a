package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** TodoWrite: replaces the run's todo list, which the browser shows as it changes. */
final class TodoWriteTool extends BuiltinTool {
  static final List<String> STATUSES = List.of("pending", "in_progress", "completed");

  TodoWriteTool() {
    super("TodoWrite", """
        Replaces your todo list for this task with the list you give; the user sees it \
        update live. Use it for work of three steps or more: write the steps down at the start, \
        mark one in_progress before you begin it, and mark it completed as soon as it is done. \
        Keep exactly one item in_progress while working. Send the whole list each time; items \
        you leave out are removed. Skip it for a single simple step.""",
        InputSchema.object()
            .array("todos", "The complete, updated todo list, in order.", InputSchema.object()
                .string("content", "What is to be done, as a short imperative sentence.")
                .choice("status", "Where the item stands.", STATUSES)
                .string("id", "A stable identifier for the item, if you keep one.")
                .required("content", "status"))
            .required("todos"), WRITES);
  }

  @Override
  ToolResult run(ToolContext context, ToolInput input) {
    List<ToolContext.Todo> todos = new ArrayList<>();
    int index = 0;
    for (JsonNode item : input.raw().get("todos")) {
      String content = item.get("content").asText().strip();
      if (content.isEmpty()) {
        throw new ToolFailure("todos[" + index + "].content is empty");
      }
      String id = item.hasNonNull("id") ? item.get("id").asText() : null;
      todos.add(new ToolContext.Todo(content, item.get("status").asText(), id));
      index++;
    }
    context.todos().accept(List.copyOf(todos));
    long done = todos.stream().filter(todo -> todo.status().equals("completed")).count();
    long active = todos.stream().filter(todo -> todo.status().equals("in_progress")).count();
    return ToolResult.ok("Todo list updated: " + todos.size() + (todos.size() == 1 ? " item" : " items")
        + " (" + done + " completed, " + active + " in progress, " + (todos.size() - done - active) + " pending).");
  }
}
