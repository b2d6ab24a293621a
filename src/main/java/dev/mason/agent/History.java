package dev.mason.agent;

import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.project.Message;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns stored messages back into a history any model accepts: error notes are left out, and a
 * tool call that never got its result (the run was stopped or the server died during the call)
 * gets a result saying so, because models refuse a tool call without one.
 */
final class History {
  private History() {}

  static List<ChatMessage> replayable(List<Message> stored) {
    List<ChatMessage> history = new ArrayList<>();
    for (Message message : stored) {
      if (message.isError()) {
        continue;
      }
      ChatMessage.Role role = message.role().equals("user") ? ChatMessage.Role.USER : ChatMessage.Role.ASSISTANT;
      List<ContentBlock> blocks = ChatMessage.blocksFromJson(message.content());
      if (!blocks.isEmpty()) {
        history.add(new ChatMessage(role, blocks));
      }
    }
    return answerOpenToolCalls(history);
  }

  /** Whether {@code message} is something the user wrote, rather than tool results or an answer. */
  static boolean isUserText(Message message) {
    if (!message.role().equals("user")) {
      return false;
    }
    return ChatMessage.blocksFromJson(message.content()).stream().noneMatch(b -> b instanceof ContentBlock.ToolResult);
  }

  private static List<ChatMessage> answerOpenToolCalls(List<ChatMessage> history) {
    List<ChatMessage> repaired = new ArrayList<>();
    for (int i = 0; i < history.size(); i++) {
      ChatMessage message = history.get(i);
      repaired.add(message);
      if (message.role() != ChatMessage.Role.ASSISTANT) {
        continue;
      }
      List<String> calls = message.content().stream()
          .filter(b -> b instanceof ContentBlock.ToolUse).map(b -> ((ContentBlock.ToolUse) b).id()).toList();
      if (calls.isEmpty()) {
        continue;
      }
      Set<String> answered = new HashSet<>();
      ChatMessage next = i + 1 < history.size() ? history.get(i + 1) : null;
      if (next != null && next.role() == ChatMessage.Role.USER) {
        next.content().stream().filter(b -> b instanceof ContentBlock.ToolResult)
            .forEach(b -> answered.add(((ContentBlock.ToolResult) b).toolUseId()));
      }
      List<ContentBlock> missing = calls.stream().filter(id -> !answered.contains(id))
          .map(id -> (ContentBlock) new ContentBlock.ToolResult(id, "the call was interrupted before it returned", true))
          .toList();
      if (missing.isEmpty()) {
        continue;
      }
      if (next != null && next.role() == ChatMessage.Role.USER) {
        List<ContentBlock> merged = new ArrayList<>(missing);
        merged.addAll(next.content());
        repaired.add(new ChatMessage(ChatMessage.Role.USER, merged));
        i++;
      } else {
        repaired.add(new ChatMessage(ChatMessage.Role.USER, missing));
      }
    }
    return repaired;
  }
}
