package dev.mason.agent.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The one JSON form of every {@link AgentEvent}, written and read here only: the event's
 * {@code type} first, then its fields under the names its record declares. The same object is
 * stored in {@code execution_events.data} and sent as the SSE {@code data}.
 *
 * <p>Logs written before this form have no {@code type} inside the object (the row's column has
 * it) and every field this form has; they read unchanged. Reading ignores fields it does not
 * know, and skips (empty) a type it does not know, as the evolution rules in {@link AgentEvent} say.
 */
public final class EventJson {
  private static final ObjectMapper MAPPER = Json.MAPPER;
  private static final Map<String, Class<? extends AgentEvent>> TYPES = Map.ofEntries(
      Map.entry(AgentEvent.CONVERSATION_CREATED, AgentEvent.ConversationCreated.class),
      Map.entry(AgentEvent.TEXT_DELTA, AgentEvent.TextDelta.class),
      Map.entry(AgentEvent.THINKING_DELTA, AgentEvent.ThinkingDelta.class),
      Map.entry(AgentEvent.TEXT, AgentEvent.Text.class),
      Map.entry(AgentEvent.THINKING, AgentEvent.Thinking.class),
      Map.entry(AgentEvent.TOOL_USE, AgentEvent.ToolUse.class),
      Map.entry(AgentEvent.TOOL_RESULT, AgentEvent.ToolResult.class),
      Map.entry(AgentEvent.TODOS, AgentEvent.Todos.class),
      Map.entry(AgentEvent.USAGE, AgentEvent.Usage.class),
      Map.entry(AgentEvent.RESULT, AgentEvent.Result.class),
      Map.entry(AgentEvent.ERROR, AgentEvent.Error.class),
      Map.entry(AgentEvent.CANCELLED, AgentEvent.Cancelled.class),
      Map.entry(AgentEvent.DONE, AgentEvent.Done.class));

  private EventJson() {}

  /** Every type and its record, for the wire-format tests and the browser's type check. */
  public static Map<String, Class<? extends AgentEvent>> types() {
    return TYPES;
  }

  /** The event as its JSON object, {@code type} first. */
  public static ObjectNode write(AgentEvent event) {
    ObjectNode node = MAPPER.createObjectNode().put("type", event.type());
    if (!(event instanceof AgentEvent.Cancelled)) {
      node.setAll((ObjectNode) MAPPER.valueToTree(event));
    }
    return node;
  }

  /**
   * The event of type {@code type} in {@code data}; empty for a type this version does not know.
   *
   * @throws IllegalArgumentException when {@code data} is not a valid event of that type, naming
   *     the field and the rule
   */
  public static Optional<AgentEvent> read(String type, JsonNode data) {
    Class<? extends AgentEvent> record = TYPES.get(type);
    if (record == null) {
      return Optional.empty();
    }
    if (data == null || !data.isObject()) {
      throw new IllegalArgumentException("a " + type + " event must be a JSON object, was " + (data == null ? "absent" : data.getNodeType()));
    }
    try {
      return Optional.of(MAPPER.treeToValue(data, record));
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String reason = cause instanceof NullPointerException ? cause.getMessage() + " is required" : cause.getMessage();
      throw new IllegalArgumentException("invalid " + type + " event: " + reason, e);
    } catch (JsonMappingException e) {
      String field = e.getPath().stream().map(JsonMappingException.Reference::getFieldName).filter(Objects::nonNull)
          .collect(Collectors.joining("."));
      throw new IllegalArgumentException("invalid " + type + " event: " + (field.isEmpty() ? "" : field + ": ")
          + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid " + type + " event: " + e.getOriginalMessage(), e);
    }
  }
}
