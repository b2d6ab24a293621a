package dev.mason.agent;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.llm.Usage;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of an execution's event log, the wire format every runtime emits.
 *
 * <p>Evolution rules: the log is append-only; a type's existing fields never change meaning; new
 * fields may be added to a type's data, so readers ignore fields they do not know; new types may
 * be added, so readers skip types they do not know.
 *
 * @param seq position in the execution's log, 1 for the first event, without gaps
 * @param data the type's fields, a JSON object
 */
public record AgentEvent(int seq, String type, ObjectNode data) {
  public static final String CONVERSATION_CREATED = "conversation.created";
  public static final String TEXT_DELTA = "text_delta";
  public static final String THINKING_DELTA = "thinking_delta";
  public static final String TEXT = "text";
  public static final String THINKING = "thinking";
  public static final String TOOL_USE = "tool_use";
  public static final String TOOL_RESULT = "tool_result";
  public static final String TODOS = "todos";
  public static final String USAGE = "usage";
  public static final String RESULT = "result";
  public static final String ERROR = "error";
  public static final String CANCELLED = "cancelled";
  public static final String DONE = "done";

  /** The types Mason emits today; the last event of every execution is {@link #DONE}. */
  public static final Set<String> TYPES = Set.of(CONVERSATION_CREATED, TEXT_DELTA, THINKING_DELTA, TEXT, THINKING,
      TOOL_USE, TOOL_RESULT, TODOS, USAGE, RESULT, ERROR, CANCELLED, DONE);

  /** The token counts of a {@link #USAGE} event (and of {@link #RESULT}'s usage), whichever runtime ran. */
  public static ObjectNode usageData(Usage usage) {
    return JsonNodeFactory.instance.objectNode().put("input_tokens", usage.inputTokens()).put("output_tokens", usage.outputTokens())
        .put("cache_read_input_tokens", usage.cacheReadInputTokens())
        .put("cache_creation_input_tokens", usage.cacheCreationInputTokens());
  }

  public AgentEvent {
    if (seq < 1) {
      throw new IllegalArgumentException("seq starts at 1, was " + seq);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(data, "data");
  }
}
