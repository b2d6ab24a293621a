package dev.mason.agent.llm;

import dev.mason.agent.ChatMessage;
import dev.mason.agent.ChatMessage.Role;
import dev.mason.agent.ContentBlock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Makes a stored conversation acceptable to strict endpoints, whatever happened to it (a cancelled
 * run, a model switch, an empty answer). Applied to every request of both protocols; on an already
 * clean conversation it changes nothing.
 *
 * <ol>
 *   <li>Blocks the protocol cannot take are dropped (the caller's predicate: thinking without a
 *       signature for Anthropic, all thinking for OpenAI), and so are text blocks that are empty or
 *       only whitespace: Databricks endpoints and the Anthropic API reject them.
 *   <li>A message left with no blocks is dropped (rather than padded with placeholder text the
 *       model would read as something said), and neighbours of the same role are then merged into
 *       one message, tool results first.
 *   <li>Tool calls are paired: a tool result whose call is not in the preceding assistant message
 *       is dropped; a tool call with no result in the following user message (a run stopped while
 *       the tool ran) gets an error result saying so, because both protocols refuse unanswered
 *       calls. A tool call in the last message is left alone.
 * </ol>
 * Steps 2 and 3 repeat until nothing changes, since each can create work for the other.
 */
final class ConversationSanitizer {
  static final String INTERRUPTED_RESULT = "No result: the tool call was interrupted before it finished.";
  private static final int MAX_PASSES = 4;

  private ConversationSanitizer() {}

  static List<ChatMessage> sanitize(List<ChatMessage> messages, Predicate<ContentBlock> protocolAccepts) {
    List<ChatMessage> result = new ArrayList<>();
    for (ChatMessage message : messages) {
      List<ContentBlock> kept = message.content().stream()
          .filter(protocolAccepts)
          .filter(block -> !(block instanceof ContentBlock.Text text && text.text().isBlank()))
          .toList();
      result.add(new ChatMessage(message.role(), kept));
    }
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      List<ChatMessage> next = pairToolCalls(mergeNeighbours(result));
      if (next.equals(result)) {
        break;
      }
      result = next;
    }
    return result;
  }

  private static List<ChatMessage> mergeNeighbours(List<ChatMessage> messages) {
    List<ChatMessage> merged = new ArrayList<>();
    for (ChatMessage message : messages) {
      if (message.content().isEmpty()) {
        continue;
      }
      int last = merged.size() - 1;
      if (last >= 0 && merged.get(last).role() == message.role()) {
        List<ContentBlock> blocks = new ArrayList<>(merged.get(last).content());
        blocks.addAll(message.content());
        merged.set(last, new ChatMessage(message.role(), message.role() == Role.USER ? toolResultsFirst(blocks) : blocks));
      } else {
        merged.add(message);
      }
    }
    return merged;
  }

  private static List<ChatMessage> pairToolCalls(List<ChatMessage> messages) {
    List<ChatMessage> paired = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      ChatMessage message = messages.get(i);
      if (message.role() == Role.ASSISTANT) {
        paired.add(message);
        Set<String> calls = toolUseIds(message);
        if (calls.isEmpty() || i == messages.size() - 1) {
          continue;
        }
        ChatMessage following = messages.get(i + 1);
        if (following.role() == Role.USER) {
          paired.add(answering(calls, following));
          i++;
        } else {
          paired.add(answering(calls, new ChatMessage(Role.USER, List.of())));
        }
      } else {
        paired.add(withoutResults(message));
      }
    }
    return paired;
  }

  /** The user message with results only for {@code calls}, and an error result for each unanswered call. */
  private static ChatMessage answering(Set<String> calls, ChatMessage user) {
    List<ContentBlock> results = new ArrayList<>();
    List<ContentBlock> others = new ArrayList<>();
    Set<String> answered = new LinkedHashSet<>();
    for (ContentBlock block : user.content()) {
      if (block instanceof ContentBlock.ToolResult result) {
        if (calls.contains(result.toolUseId()) && answered.add(result.toolUseId())) {
          results.add(result);
        }
      } else {
        others.add(block);
      }
    }
    for (String call : calls) {
      if (!answered.contains(call)) {
        results.add(new ContentBlock.ToolResult(call, INTERRUPTED_RESULT, true));
      }
    }
    results.addAll(others);
    return new ChatMessage(Role.USER, results);
  }

  private static ChatMessage withoutResults(ChatMessage user) {
    return new ChatMessage(user.role(), user.content().stream().filter(b -> !(b instanceof ContentBlock.ToolResult)).toList());
  }

  private static Set<String> toolUseIds(ChatMessage message) {
    Set<String> ids = new LinkedHashSet<>();
    for (ContentBlock block : message.content()) {
      if (block instanceof ContentBlock.ToolUse use) {
        ids.add(use.id());
      }
    }
    return ids;
  }

  private static List<ContentBlock> toolResultsFirst(List<ContentBlock> blocks) {
    List<ContentBlock> ordered = new ArrayList<>(blocks.stream().filter(ContentBlock.ToolResult.class::isInstance).toList());
    blocks.stream().filter(b -> !(b instanceof ContentBlock.ToolResult)).forEach(ordered::add);
    return ordered;
  }
}
