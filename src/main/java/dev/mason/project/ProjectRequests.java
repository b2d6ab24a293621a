package dev.mason.project;

import dev.mason.web.ApiError;

/** Request bodies of the project routes; each validates itself, naming the field at fault. */
final class ProjectRequests {
  static final int MAX_NAME = 255;
  static final int MAX_SETTING = 1024;

  private ProjectRequests() {}

  /** POST and PATCH /api/projects: a name is required. */
  record ProjectBody(String name) {
    ProjectBody {
      name = requiredName("name", name);
    }
  }

  /**
   * POST and PATCH of a conversation. Every field is optional; on PATCH a null field is left
   * as it is and an empty string clears a setting.
   */
  record ConversationBody(
      String title,
      String clusterId,
      String warehouseId,
      String defaultCatalog,
      String defaultSchema,
      String workspaceFolder,
      String model) {
    ConversationBody {
      if (title != null) {
        title = requiredName("title", title);
      }
      bounded("cluster_id", clusterId);
      bounded("warehouse_id", warehouseId);
      bounded("default_catalog", defaultCatalog);
      bounded("default_schema", defaultSchema);
      bounded("workspace_folder", workspaceFolder);
      bounded("model", model);
    }

    ConversationSettings settings() {
      return new ConversationSettings(clusterId, warehouseId, defaultCatalog, defaultSchema, workspaceFolder, model);
    }
  }

  static String requiredName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest(field, field + " is required and must not be blank");
    }
    refuseControlCharacters(field, value);
    String trimmed = value.strip();
    if (trimmed.length() > MAX_NAME) {
      throw ApiError.badRequest(field, field + " is " + trimmed.length() + " characters; the limit is " + MAX_NAME);
    }
    return trimmed;
  }

  private static void bounded(String field, String value) {
    if (value != null && value.length() > MAX_SETTING) {
      throw ApiError.badRequest(field, field + " is " + value.length() + " characters; the limit is " + MAX_SETTING);
    }
    if (value != null) {
      refuseControlCharacters(field, value);
    }
  }

  /** Line breaks and other control characters have no place in a name or setting; PostgreSQL cannot even store NUL. */
  private static void refuseControlCharacters(String field, String value) {
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw ApiError.badRequest(field, field + " contains a control character (U+%04X) at position %d"
            .formatted((int) value.charAt(i), i));
      }
    }
  }
}
