package dev.mason.agent;

import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.LoggedEvent;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.message.TurnMessages;
import java.util.List;

/**
 * Rebuilds, from a stored event log, the turns of a run that ended without saving them (the
 * process died): the assistant's text, streamed or complete, and its tool calls with the results
 * that came back. Thinking is left out: without the model's signature it cannot be sent back.
 *
 * <p>Within a model turn the log holds the deltas, then {@code usage}, then the turn's complete
 * blocks; tool results follow, and the next turn's deltas start a new assistant message.
 */
final class PartialTurns {
  private final TurnMessages turns = new TurnMessages();
  private final StringBuilder streamed = new StringBuilder();

  private PartialTurns() {}

  static List<ChatMessage> from(List<LoggedEvent> events) {
    PartialTurns partial = new PartialTurns();
    events.forEach(partial::read);
    return partial.end();
  }

  private void read(LoggedEvent logged) {
    switch (logged.event()) {
      case AgentEvent.TextDelta delta -> {
        turns.startTurnIfAnswered();
        streamed.append(delta.text());
      }
      // The complete blocks follow: they replace what was streamed.
      case AgentEvent.Usage ignored -> streamed.setLength(0);
      case AgentEvent.Text text -> turns.assistant(new ContentBlock.Text(text.text()));
      case AgentEvent.ToolUse use -> turns.assistant(new ContentBlock.ToolUse(use.toolId(), use.toolName(), use.toolInput()));
      case AgentEvent.ToolResult result -> turns.result(new ContentBlock.ToolResult(result.toolUseId(), result.content(),
          result.isError(), result.durationMs()));
      case AgentEvent.Error error -> {
        if (error.isRetrying()) {
          streamed.setLength(0); // the attempt is streamed again from its start
        }
      }
      default -> { }
    }
  }

  private List<ChatMessage> end() {
    if (!streamed.toString().isBlank()) {
      turns.assistant(new ContentBlock.Text(streamed.toString()));
    }
    return turns.messages();
  }
}
