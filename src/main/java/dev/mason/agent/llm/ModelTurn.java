package dev.mason.agent.llm;

import dev.mason.agent.message.ContentBlock;
import java.util.List;
import java.util.Objects;

/**
 * A model's complete answer.
 *
 * @param stopReason in the Anthropic vocabulary whatever the protocol: {@code end_turn},
 *     {@code tool_use}, {@code max_tokens}, {@code stop_sequence}, {@code refusal}, or another value
 *     the model sent; null if it sent none
 */
public record ModelTurn(List<ContentBlock> content, String stopReason, Usage usage) {
  public ModelTurn {
    content = List.copyOf(content);
    Objects.requireNonNull(usage, "usage");
  }

  public List<ContentBlock.ToolUse> toolUses() {
    return content.stream()
        .filter(ContentBlock.ToolUse.class::isInstance)
        .map(ContentBlock.ToolUse.class::cast)
        .toList();
  }

  /** The text blocks joined, for titles and summaries. */
  public String text() {
    StringBuilder text = new StringBuilder();
    for (ContentBlock block : content) {
      if (block instanceof ContentBlock.Text t) {
        text.append(t.text());
      }
    }
    return text.toString();
  }
}
