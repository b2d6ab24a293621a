package dev.mason.project;

/**
 * The per-conversation settings the agent works with. Every field may be null (not set).
 */
public record ConversationSettings(
    String clusterId,
    String warehouseId,
    String defaultCatalog,
    String defaultSchema,
    String workspaceFolder,
    String model) {

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
