package dev.mason.project;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * What the agent room may do to conversations while it runs them: start one, read and append its
 * turns, give it a title. Nothing else of the project room's store is in its reach.
 *
 * <p>Not scoped to an owner: the caller has checked, through {@link ProjectService}, that the
 * conversation's project is the user's (or, for a run left by a dead process, the run's row names
 * the conversation). Thread-safe.
 */
public interface Transcripts {
  /** A new conversation in {@code projectId}, whose owner the caller has checked. */
  Conversation createConversation(UUID projectId, String title, ConversationSettings settings);

  /** The conversation's turns, oldest first. */
  List<Message> messages(UUID conversationId);

  /** Appends a turn. */
  Message addMessage(UUID conversationId, String role, JsonNode content, boolean isError, boolean cancelled, JsonNode usage);

  /** Sets the title only while it is still {@code expected}: a name the user gave meanwhile is kept. True when it was set. */
  boolean retitle(UUID conversationId, String expected, String title);

  /** The session id of the conversation's runtime (a Claude Code session), or null before its first run. */
  String runtimeSession(UUID conversationId);

  /** Records the session the conversation's runtime is in, so the next message resumes it; null forgets it. */
  void setRuntimeSession(UUID conversationId, String sessionId);
}
