package dev.mason.databricks;

import dev.mason.agent.tool.InputSchema;
import java.util.List;

/** A Databricks tool whose required {@code action} argument picks what it does, one of a fixed list. */
abstract class ActionTool extends DatabricksTool {
  private final List<String> actions;

  /** A tool that may change the workspace and may go to the background. */
  ActionTool(ToolRuntime runtime, List<String> actions, String name, String description, InputSchema schema) {
    super(runtime, name, description, schema);
    this.actions = List.copyOf(actions);
  }

  ActionTool(ToolRuntime runtime, List<String> actions, String name, String description, InputSchema schema,
      boolean readOnly, boolean mayRunInBackground) {
    super(runtime, name, description, schema, readOnly, mayRunInBackground);
    this.actions = List.copyOf(actions);
  }

  @Override
  final String run(ToolCall call) throws Exception {
    Args args = call.args();
    return run(call, args, args.choice("action", actions, null));
  }

  /** Does the work of {@code action}, one of the tool's actions; returns the text the model reads. */
  abstract String run(ToolCall call, Args args, String action) throws Exception;
}
