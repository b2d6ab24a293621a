package dev.mason.project;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.mason.web.ApiError;

/** Request bodies of the project routes; each validates itself, naming the field at fault. */
final class ProjectRequests {
  static final int MAX_NAME = 255;

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
  record ConversationBody(String title, @JsonUnwrapped ConversationSettings settings) {
    static final ConversationBody EMPTY = new ConversationBody(null, ConversationSettings.NONE);

    ConversationBody {
      if (title != null) {
        title = requiredName("title", title);
      }
      settings = settings == null ? ConversationSettings.NONE : settings;
    }
  }

  static String requiredName(String field, String value) {
    if (value == null || value.isBlank()) {
      throw ApiError.badRequest(field, field + " is required and must not be blank");
    }
    PlainText.check(field, value);
    String trimmed = value.strip();
    if (trimmed.length() > MAX_NAME) {
      throw ApiError.badRequest(field, field + " is " + trimmed.length() + " characters; the limit is " + MAX_NAME);
    }
    return trimmed;
  }
}
