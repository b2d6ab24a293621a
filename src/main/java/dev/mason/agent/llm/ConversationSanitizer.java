package dev.mason.agent.llm;

import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ChatMessage.Role;
import dev.mason.agent.message.ContentBlock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Makes a conversation acceptable to strict endpoints, whatever happened to it (a cancelled run, a
 * model switch, an empty answer, a CLI that sent a tool result twice). Applied to every request of
 * Mason's own clients and to every Anthropic Messages request the model gateway forwards for a
 * terminal CLI; on an already clean conversation it changes nothing.
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
 *
 * <p>The algorithm is written once over a {@link Shape}: Mason's stored {@link ChatMessage}s, or
 * the wire JSON of a request passing through the gateway ({@link EndpointFixes}).
 */
final class ConversationSanitizer {
  static final String INTERRUPTED_RESULT = "No result: the tool call was interrupted before it finished.";
  private static final int MAX_PASSES = 4;

  /** How the sanitizer reads and rebuilds one representation's messages ({@code M}) and blocks ({@code B}). */
  interface Shape<M, B> {
    Role role(M message);

    List<B> blocks(M message);

    M message(Role role, List<B> blocks);

    boolean blankText(B block);

    /** The id of a tool call, or null when the block is not one. */
    String toolUseId(B block);

    /** The id of the call a tool result answers, or null when the block is not a result. */
    String toolResultId(B block);

    B interruptedResult(String toolUseId);
  }

  private static final Shape<ChatMessage, ContentBlock> STORED = new Shape<>() {
    @Override
    public Role role(ChatMessage message) {
      return message.role();
    }

    @Override
    public List<ContentBlock> blocks(ChatMessage message) {
      return message.content();
    }

    @Override
    public ChatMessage message(Role role, List<ContentBlock> blocks) {
      return new ChatMessage(role, blocks);
    }

    @Override
    public boolean blankText(ContentBlock block) {
      return block instanceof ContentBlock.Text text && text.text().isBlank();
    }

    @Override
    public String toolUseId(ContentBlock block) {
      return block instanceof ContentBlock.ToolUse use ? use.id() : null;
    }

    @Override
    public String toolResultId(ContentBlock block) {
      return block instanceof ContentBlock.ToolResult result ? result.toolUseId() : null;
    }

    @Override
    public ContentBlock interruptedResult(String toolUseId) {
      return new ContentBlock.ToolResult(toolUseId, INTERRUPTED_RESULT, true);
    }
  };

  private ConversationSanitizer() {}

  static List<ChatMessage> sanitize(List<ChatMessage> messages, Predicate<ContentBlock> protocolAccepts) {
    return sanitize(messages, STORED, protocolAccepts);
  }

  static <M, B> List<M> sanitize(List<M> messages, Shape<M, B> shape, Predicate<B> protocolAccepts) {
    List<M> result = new ArrayList<>();
    for (M message : messages) {
      List<B> kept = shape.blocks(message).stream()
          .filter(protocolAccepts)
          .filter(block -> !shape.blankText(block))
          .toList();
      result.add(kept.size() == shape.blocks(message).size() ? message : shape.message(shape.role(message), kept));
    }
    for (int pass = 0; pass < MAX_PASSES; pass++) {
      List<M> next = pairToolCalls(mergeNeighbours(result, shape), shape);
      if (next.equals(result)) {
        break;
      }
      result = next;
    }
    return result;
  }

  private static <M, B> List<M> mergeNeighbours(List<M> messages, Shape<M, B> shape) {
    List<M> merged = new ArrayList<>();
    for (M message : messages) {
      if (shape.blocks(message).isEmpty()) {
        continue;
      }
      int last = merged.size() - 1;
      if (last >= 0 && shape.role(merged.get(last)) == shape.role(message)) {
        List<B> blocks = new ArrayList<>(shape.blocks(merged.get(last)));
        blocks.addAll(shape.blocks(message));
        merged.set(last, shape.message(shape.role(message), shape.role(message) == Role.USER ? toolResultsFirst(blocks, shape) : blocks));
      } else {
        merged.add(message);
      }
    }
    return merged;
  }

  private static <M, B> List<M> pairToolCalls(List<M> messages, Shape<M, B> shape) {
    List<M> paired = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      M message = messages.get(i);
      if (shape.role(message) == Role.ASSISTANT) {
        paired.add(message);
        Set<String> calls = toolUseIds(message, shape);
        if (calls.isEmpty() || i == messages.size() - 1) {
          continue;
        }
        M following = messages.get(i + 1);
        if (shape.role(following) == Role.USER) {
          paired.add(answering(calls, following, shape));
          i++;
        } else {
          paired.add(answering(calls, shape.message(Role.USER, List.of()), shape));
        }
      } else {
        paired.add(withoutResults(message, shape));
      }
    }
    return paired;
  }

  /** The user message with results only for {@code calls}, and an error result for each unanswered call. */
  private static <M, B> M answering(Set<String> calls, M user, Shape<M, B> shape) {
    List<B> results = new ArrayList<>();
    List<B> others = new ArrayList<>();
    Set<String> answered = new LinkedHashSet<>();
    for (B block : shape.blocks(user)) {
      String answers = shape.toolResultId(block);
      if (answers != null) {
        if (calls.contains(answers) && answered.add(answers)) {
          results.add(block);
        }
      } else {
        others.add(block);
      }
    }
    for (String call : calls) {
      if (!answered.contains(call)) {
        results.add(shape.interruptedResult(call));
      }
    }
    results.addAll(others);
    return sameOrRebuilt(user, Role.USER, results, shape);
  }

  private static <M, B> M withoutResults(M message, Shape<M, B> shape) {
    List<B> kept = shape.blocks(message).stream().filter(b -> shape.toolResultId(b) == null).toList();
    return sameOrRebuilt(message, shape.role(message), kept, shape);
  }

  /** The message itself when its blocks did not change, so that an unchanged conversation compares equal. */
  private static <M, B> M sameOrRebuilt(M message, Role role, List<B> blocks, Shape<M, B> shape) {
    return Objects.equals(shape.blocks(message), blocks) && shape.role(message) == role ? message : shape.message(role, blocks);
  }

  private static <M, B> Set<String> toolUseIds(M message, Shape<M, B> shape) {
    Set<String> ids = new LinkedHashSet<>();
    for (B block : shape.blocks(message)) {
      String id = shape.toolUseId(block);
      if (id != null) {
        ids.add(id);
      }
    }
    return ids;
  }

  private static <M, B> List<B> toolResultsFirst(List<B> blocks, Shape<M, B> shape) {
    List<B> ordered = new ArrayList<>(blocks.stream().filter(b -> shape.toolResultId(b) != null).toList());
    blocks.stream().filter(b -> shape.toolResultId(b) == null).forEach(ordered::add);
    return ordered;
  }
}
