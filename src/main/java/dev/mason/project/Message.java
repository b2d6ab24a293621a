package dev.mason.project;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One stored turn.
 *
 * @param content the content blocks, a JSON array (text, thinking with signature, tool_use, tool_result)
 * @param usage token usage of an assistant turn, or null
 */
public record Message(
    long id,
    String role,
    JsonNode content,
    Instant createdAt,
    boolean isError,
    boolean cancelled,
    JsonNode usage) {

  /** The text blocks joined: what a client that does not render blocks shows. */
  @JsonProperty("text")
  public String text() {
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if ("text".equals(block.path("type").asText())) {
        if (!text.isEmpty()) {
          text.append("\n\n");
        }
        text.append(block.path("text").asText());
      }
    }
    return text.toString();
  }
}
