package dev.mason.databricks;

import dev.mason.agent.tool.ToolContext;
import dev.mason.identity.Caller;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One call of a Databricks tool: who asked (with their credential), its arguments, and the shared
 * runtime. Lives for the duration of the call only.
 */
record ToolCall(ToolContext context, Args args, ToolRuntime runtime) {
  Caller caller() {
    return context.caller();
  }

  /** The REST API as the caller sees it; the client is cached per credential. */
  WorkspaceApi api() {
    return runtime.access().api(context.caller());
  }

  Polling polling() {
    return new Polling(runtime.settings().pollInterval(), context.cancellation());
  }

  /** Records a created resource in the project's manifest. */
  void track(String type, String id, String name, String url) {
    runtime.manifest().record(context.projectFolder(), new ResourceManifest.Resource(
        type, id, name, url, Instant.now(runtime.clock()).toString(), caller().user()));
  }

  /** Drops a resource from the project's manifest (deleted through a tool); nothing happens if it was not there. */
  void untrack(String type, String id) {
    runtime.manifest().remove(context.projectFolder(), type, id);
  }

  /** A link into the workspace UI, e.g. {@code link("/jobs/123")}. */
  String link(String path) {
    return runtime.access().host() + path;
  }

  /** Query parameters from name, value pairs; a pair whose value is null is left out. */
  static Map<String, Object> query(Object... nameValues) {
    var query = new LinkedHashMap<String, Object>();
    for (int i = 0; i < nameValues.length; i += 2) {
      if (nameValues[i + 1] != null) {
        query.put((String) nameValues[i], nameValues[i + 1]);
      }
    }
    return query;
  }
}
