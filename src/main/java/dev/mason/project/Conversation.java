package dev.mason.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A conversation; {@code messages} is null in listings and the full history, oldest first, when
 * one conversation is read.
 */
public record Conversation(
    UUID id,
    UUID projectId,
    String title,
    Instant createdAt,
    Instant updatedAt,
    @JsonUnwrapped ConversationSettings settings,
    int messageCount,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<Message> messages) {

  Conversation withMessages(List<Message> history) {
    return new Conversation(id, projectId, title, createdAt, updatedAt, settings, history.size(), history);
  }
}
