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
    String model) {

  public static final int MAX_CHARS = 1024;

  public ConversationSettings {
    check("cluster_id", clusterId);
    check("warehouse_id", warehouseId);
    check("default_catalog", defaultCatalog);
    check("default_schema", defaultSchema);
    check("workspace_folder", workspaceFolder);
    check("model", model);
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

  public static final ConversationSettings NONE = new ConversationSettings(null, null, null, null, null, null);

  /** These settings with every non-null field of {@code patch} applied; an empty string clears a field. */
  public ConversationSettings merge(ConversationSettings patch) {
    return new ConversationSettings(
        pick(clusterId, patch.clusterId), pick(warehouseId, patch.warehouseId),
        pick(defaultCatalog, patch.defaultCatalog), pick(defaultSchema, patch.defaultSchema),
        pick(workspaceFolder, patch.workspaceFolder), pick(model, patch.model));
  }

  private static String pick(String current, String patch) {
    if (patch == null) {
      return current;
    }
    return patch.isBlank() ? null : patch.trim();
  }
}
