package dev.mason.agent.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The event log as a wire format, tested the way the MCP SDK tests its schema: every type
 * round-trips through its one JSON form; optional fields may be missing; required ones missing
 * or null are refused naming the field; unknown fields and types are ignored; and a log written
 * by the previous version (rows exactly as its code wrote them) reads and writes back unchanged.
 */
class EventWireFormatTest {
  static final UUID CONVERSATION = UUID.fromString("5b3c7f9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
  static final UUID EXECUTION = UUID.fromString("9d8c7b6a-5f4e-4d3c-9b2a-1f0e9d8c7b6a");

  /** One of each type, with every optional field set, and some without. */
  static final List<AgentEvent> SAMPLES = List.of(
      new AgentEvent.ConversationCreated(CONVERSATION, true, EXECUTION),
      new AgentEvent.TextDelta("I will "),
      new AgentEvent.ThinkingDelta("Let me think"),
      new AgentEvent.Text("Done.\u0000 with a NUL"),
      new AgentEvent.Thinking("thought"),
      new AgentEvent.ToolUse("toolu_1", "Write", Json.MAPPER.createObjectNode().put("file_path", "a.txt")),
      new AgentEvent.ToolUse("toolu_2", "Glob", null),
      new AgentEvent.ToolResult("toolu_1", "ok", false, 12L),
      new AgentEvent.ToolResult("toolu_2", "failed", true, null),
      new AgentEvent.Todos(List.of(new AgentEvent.Todo("Write it", "completed", "1"), new AgentEvent.Todo("Check", "pending", null))),
      new AgentEvent.Usage(10, 20, 30, 40, 1, "end_turn"),
      new AgentEvent.Usage(1, 2, 0, 0, 2, null),
      new AgentEvent.Result(ExecutionStatus.COMPLETED, false, 1500, 2, new AgentEvent.Tokens(1, 2, 3, 4)),
      new AgentEvent.Result(ExecutionStatus.ERROR, true, 3, 0, null),
      AgentEvent.Error.retrying("retrying", 2, 1000),
      AgentEvent.Error.ended("it failed", false),
      new AgentEvent.Error("not stored", null, null, null, null, "usage"),
      new AgentEvent.Cancelled(),
      new AgentEvent.Done(ExecutionStatus.INTERRUPTED));

  @Test
  void everyTypeRoundTripsThroughItsOneJsonFormWithItsTypeFirst() {
    assertThat(SAMPLES.stream().map(AgentEvent::type).collect(Collectors.toSet())).isEqualTo(EventJson.types().keySet());
    for (AgentEvent event : SAMPLES) {
      ObjectNode json = EventJson.write(event);
      assertThat(json.fieldNames().next()).as(json.toString()).isEqualTo("type");
      assertThat(json.get("type").asText()).isEqualTo(event.type());
      AgentEvent back = EventJson.read(json.get("type").asText(), Json.MAPPER.valueToTree(json)).orElseThrow();
      assertThat(back).as(json.toString()).isEqualTo(event);
      assertThat(EventJson.types().get(event.type())).isEqualTo(event.getClass());
    }
  }

  @Test
  void aLogWrittenByThePreviousVersionReadsAndWritesBackTheSameFields() throws IOException {
    for (String fixture : List.of("/events/previous-version-log.jsonl", "/events/previous-version-ends.jsonl")) {
      List<JsonNode> rows = rows(fixture);
      assertThat(rows).isNotEmpty();
      for (JsonNode row : rows) {
        String type = row.get("type").asText();
        AgentEvent event = EventJson.read(type, row.get("data")).orElseThrow(() -> new AssertionError("unknown type " + type));
        ObjectNode written = EventJson.write(event);
        written.remove("type");
        // Compared as parsed JSON: a number is a number whatever Java type held it.
        assertThat(Json.MAPPER.readTree(written.toString())).as("%s in %s", row, fixture).isEqualTo(row.get("data"));
      }
    }
  }

  @Test
  void missingOptionalFieldsReadAsAbsentAndAreLeftOutWhenWritten() {
    var result = (AgentEvent.ToolResult) read("tool_result", "{\"tool_use_id\": \"t\", \"content\": \"c\", \"is_error\": false}");
    assertThat(result.durationMs()).isNull();
    assertThat(EventJson.write(result).has("duration_ms")).isFalse();

    var error = (AgentEvent.Error) read("error", "{\"error\": \"boom\"}");
    assertThat(error.retrying()).isNull();
    assertThat(error.isRetrying()).isFalse();
    assertThat(error.interrupted()).isNull();
    assertThat(EventJson.write(error).toString()).isEqualTo("{\"type\":\"error\",\"error\":\"boom\"}");

    var ended = (AgentEvent.Result) read("result", "{\"status\": \"completed\", \"is_error\": false, \"duration_ms\": 5, \"num_turns\": 1}");
    assertThat(ended.usage()).isNull();

    var usage = (AgentEvent.Usage) read("usage", "{\"input_tokens\": 1, \"output_tokens\": 2, \"cache_read_input_tokens\": 0, "
        + "\"cache_creation_input_tokens\": 0, \"turn\": 1}");
    assertThat(usage.stopReason()).isNull();
    assertThat(EventJson.write(usage).get("stop_reason").isNull()).as("written as null, as before").isTrue();

    var todos = (AgentEvent.Todos) read("todos", "{\"todos\": [{\"content\": \"a\", \"status\": \"pending\"}]}");
    assertThat(todos.todos().getFirst().id()).isNull();

    var use = (AgentEvent.ToolUse) read("tool_use", "{\"tool_id\": \"t\", \"tool_name\": \"Glob\"}");
    assertThat(use.toolInput().isNull()).isTrue();

    assertThat(read("cancelled", "{}")).isEqualTo(new AgentEvent.Cancelled());
  }

  @Test
  void requiredFieldsMissingOrNullAreRefusedNamingTheField() {
    assertRefused("text_delta", "{}", "text");
    assertRefused("text_delta", "{\"text\": null}", "text");
    assertRefused("tool_use", "{\"tool_id\": \"t\"}", "tool_name");
    assertRefused("tool_result", "{\"tool_use_id\": \"t\", \"content\": \"c\", \"is_error\": null}", "is_error");
    assertRefused("conversation.created", "{\"created\": true, \"execution_id\": \"" + EXECUTION + "\"}", "conversation_id");
    assertRefused("done", "{}", "status");
    assertRefused("done", "{\"status\": \"running\"}", "final status");
    assertRefused("done", "{\"status\": \"finished\"}", "unknown execution status finished");
    assertRefused("usage", "{\"input_tokens\": -1, \"output_tokens\": 0, \"cache_read_input_tokens\": 0, "
        + "\"cache_creation_input_tokens\": 0, \"turn\": 1}", "must not be negative");
    assertRefused("text", "{\"text\": 42}", "text");
    assertThatThrownBy(() -> EventJson.read("text", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a JSON object");
    assertThatThrownBy(() -> EventJson.read("text", Json.MAPPER.nullNode())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be a JSON object");
  }

  @Test
  void unknownFieldsAreIgnoredAndUnknownTypesAreSkipped() {
    assertThat(read("text_delta", "{\"text\": \"a\", \"added_by_a_newer_mason\": {\"x\": 1}, \"type\": \"text_delta\"}"))
        .isEqualTo(new AgentEvent.TextDelta("a"));
    assertThat(EventJson.read("compaction", Json.MAPPER.createObjectNode().put("summary", "s"))).isEmpty();
  }

  @Test
  void theRecordsCheckThemselvesWhenARuntimeBuildsThem() {
    assertThatThrownBy(() -> new AgentEvent.Usage(0, 0, 0, 0, 0, null)).hasMessageContaining("turn starts at 1");
    assertThatThrownBy(() -> new AgentEvent.Result(ExecutionStatus.RUNNING, false, 0, 0, null)).hasMessageContaining("final");
    assertThatThrownBy(() -> AgentEvent.Error.retrying("x", 0, 10)).hasMessageContaining("attempt starts at 1");
    assertThatThrownBy(() -> new AgentEvent.ToolResult("t", "c", false, -5L)).hasMessageContaining("duration_ms");
    assertThatThrownBy(() -> new LoggedEvent(0, new AgentEvent.Cancelled())).hasMessageContaining("seq starts at 1");
    assertThatThrownBy(() -> new AgentEvent.Todos(null)).hasMessageContaining("todos");
  }

  private static AgentEvent read(String type, String json) {
    try {
      return EventJson.read(type, Json.MAPPER.readTree(json)).orElseThrow();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static void assertRefused(String type, String json, String reason) {
    assertThatThrownBy(() -> read(type, json)).as(type + " " + json).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(reason);
  }

  static List<JsonNode> rows(String resource) throws IOException {
    try (InputStream in = EventWireFormatTest.class.getResourceAsStream(resource)) {
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return text.lines().filter(line -> !line.isBlank()).map(line -> {
        try {
          return Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new AssertionError(line, e);
        }
      }).toList();
    }
  }
}
