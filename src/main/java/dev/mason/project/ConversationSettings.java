package dev.mason.project;

import dev.mason.web.ApiError;

/**
 * The per-conversation settings the agent works with. Every field may be null (not set). The one
 * declaration of them: every request that carries them (a conversation's POST and PATCH, invoke,
 * the system-prompt preview) builds this record, so each is checked by the same rule.
 */
public record ConversationSettings(
    String clusterId,
    String warehouseId,
    String defaultCatalog,
    String defaultSchema,
    String workspaceFolder,
    String model,
    String runtime) {

  public static final int MAX_CHARS = 1024;

  public ConversationSettings {
    check("cluster_id", clusterId);
    check("warehouse_id", warehouseId);
    check("default_catalog", defaultCatalog);
    check("default_schema", defaultSchema);
    check("workspace_folder", workspaceFolder);
    check("model", model);
    if (runtime != null && !runtime.isBlank() && !RUNTIMES.contains(runtime.trim())) {
      throw ApiError.badRequest("runtime", "runtime must be one of " + String.join(", ", RUNTIMES) + "; was '"
          + (runtime.length() > 40 ? runtime.substring(0, 40) + "…" : runtime) + "'");
    }
  }

  /** The engines a conversation can run on: Mason's own loop (the default, also when null) and the Claude Code CLI. */
  public static final java.util.List<String> RUNTIMES = java.util.List.of("mason", "claude-code");

  /** The runtime in effect: {@code mason} when none is set. */
  public String runtimeOrDefault() {
    return runtime == null ? "mason" : runtime;
  }

  private static void check(String field, String value) {
    if (value == null) {
      return;
    }
    if (value.length() > MAX_CHARS) {
      throw ApiError.badRequest(field, field + " is " + value.length() + " characters; the limit is " + MAX_CHARS);
    }
    PlainText.check(field, value);
  }

  public static final ConversationSettings NONE = new ConversationSettings(null, null, null, null, null, null, null);

  /** These settings with every non-null field of {@code patch} applied; an empty string clears a field. */
  public ConversationSettings merge(ConversationSettings patch) {
    return new ConversationSettings(
        pick(clusterId, patch.clusterId), pick(warehouseId, patch.warehouseId),
        pick(defaultCatalog, patch.defaultCatalog), pick(defaultSchema, patch.defaultSchema),
        pick(workspaceFolder, patch.workspaceFolder), pick(model, patch.model), pick(runtime, patch.runtime));
  }

  private static String pick(String current, String patch) {
    if (patch == null) {
      return current;
    }
    return patch.isBlank() ? null : patch.trim();
  }
}
