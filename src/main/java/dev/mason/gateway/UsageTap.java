package dev.mason.gateway;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads the model and token counts out of what an endpoint answers, event by event or as one body,
 * whatever the protocol: Anthropic ({@code message.usage}, then cumulative {@code usage} in
 * {@code message_delta}), OpenAI chat ({@code usage.prompt_tokens}), OpenAI responses
 * ({@code response.usage.input_tokens}) and Gemini ({@code usageMetadata.promptTokenCount}). The
 * largest count seen wins, since every protocol repeats or accumulates them. Not thread-safe: one
 * per request.
 */
final class UsageTap {
  private String model;
  private long inputTokens;
  private long outputTokens;

  UsageTap(String requestedModel) {
    this.model = requestedModel;
  }

  void observe(JsonNode node) {
    if (model == null) {
      for (JsonNode candidate : new JsonNode[] {node.path("model"), node.path("message").path("model"),
          node.path("response").path("model"), node.path("modelVersion")}) {
        if (candidate.isTextual() && !candidate.asText().isBlank()) {
          model = candidate.asText();
          break;
        }
      }
    }
    for (JsonNode usage : new JsonNode[] {node.path("usage"), node.path("message").path("usage"),
        node.path("response").path("usage"), node.path("usageMetadata")}) {
      if (usage.isObject()) {
        long input = usage.path("input_tokens").asLong(0) + usage.path("cache_read_input_tokens").asLong(0)
            + usage.path("cache_creation_input_tokens").asLong(0) + usage.path("prompt_tokens").asLong(0)
            + usage.path("promptTokenCount").asLong(0);
        long output = usage.path("output_tokens").asLong(0) + usage.path("completion_tokens").asLong(0)
            + usage.path("candidatesTokenCount").asLong(0);
        inputTokens = Math.max(inputTokens, input);
        outputTokens = Math.max(outputTokens, output);
      }
    }
  }

  String model() {
    return model == null ? "unknown" : model;
  }

  long inputTokens() {
    return inputTokens;
  }

  long outputTokens() {
    return outputTokens;
  }
}
