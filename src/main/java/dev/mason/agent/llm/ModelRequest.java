package dev.mason.agent.llm;

import dev.mason.agent.message.ChatMessage;
import java.util.List;
import java.util.Objects;

/**
 * What to ask a model.
 *
 * @param model the model or serving endpoint name, e.g. {@code databricks-claude-sonnet-4-5}
 * @param system the system prompt; null or blank for none
 * @param messages the conversation so far, oldest first; sanitised before sending (see
 *     {@link ConversationSanitizer}), never modified
 * @param maxTokens the most tokens the answer may have, thinking included
 * @param thinkingBudgetTokens extended thinking budget (at least 1024 and less than maxTokens), or
 *     null for no extended thinking; only the Anthropic protocol uses it
 */
public record ModelRequest(
    String model, String system, List<ChatMessage> messages, List<ToolSpec> tools, int maxTokens, Integer thinkingBudgetTokens) {

  static final int MIN_THINKING_BUDGET = 1024;

  public ModelRequest {
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException("model must be named");
    }
    messages = List.copyOf(Objects.requireNonNull(messages, "messages"));
    if (messages.isEmpty()) {
      throw new IllegalArgumentException("a model request needs at least one message");
    }
    tools = tools == null ? List.of() : List.copyOf(tools);
    if (maxTokens <= 0) {
      throw new IllegalArgumentException("maxTokens must be positive, was " + maxTokens);
    }
    if (thinkingBudgetTokens != null && (thinkingBudgetTokens < MIN_THINKING_BUDGET || thinkingBudgetTokens >= maxTokens)) {
      throw new IllegalArgumentException("thinkingBudgetTokens must be at least " + MIN_THINKING_BUDGET
          + " and less than maxTokens (" + maxTokens + "), was " + thinkingBudgetTokens);
    }
  }

  public static ModelRequest of(String model, String system, List<ChatMessage> messages, List<ToolSpec> tools, int maxTokens) {
    return new ModelRequest(model, system, messages, tools, maxTokens, null);
  }
}
