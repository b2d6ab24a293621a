package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.llm.FakeAnthropicServer;
import dev.mason.agent.llm.FakeModelServer;
import dev.mason.agent.llm.FakeOpenAiServer;
import dev.mason.testing.Api;
import dev.mason.testing.SseClient;
import dev.mason.testing.TestMason;
import dev.mason.web.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Agent runs of a real Mason, driven through {@code POST /api/invoke_agent} by a fake model whose
 * answers are scripted turn by turn, and read back from the run's SSE events until {@code done}.
 * Requests carry the Databricks Apps proxy's headers for a {@link User}: their email and their
 * own workspace token.
 *
 * <p>A run's script is queued before the run starts: each turn is one model answer calling the
 * given tools, and a closing text answer ends the run. The fake model serves one queue, so runs
 * that share a fake must not overlap (concurrent runs use different fakes).
 */
final class ScriptedAgent {
  static final Duration LIMIT = Duration.ofSeconds(60);
  private static final AtomicInteger CALL_IDS = new AtomicInteger();

  /**
   * Someone behind the Databricks Apps proxy: who they are and the token it forwards for them. The
   * proxy also sends X-Forwarded-User, the user's id at the workspace, which is not their name.
   */
  record User(String email, String token) {
    Map<String, String> headers() {
      return Map.of("X-Forwarded-Email", email, "X-Forwarded-User", userId(), "X-Forwarded-Access-Token", token);
    }

    Api api(TestMason mason) {
      return mason.as(email).withHeader("X-Forwarded-User", userId()).withHeader("X-Forwarded-Access-Token", token);
    }

    private String userId() {
      return Math.abs(email.hashCode()) + "@1234567890123456";
    }
  }

  /** One tool call the model makes; ids are unique across the test run, as the model APIs require within a conversation. */
  record Call(String id, String tool, String input) {
    static Call of(String tool, String input) {
      return new Call("toolu_" + CALL_IDS.incrementAndGet(), tool, input);
    }
  }

  /** One model answer: the calls it makes, run by the engine before it asks the model again. */
  record Turn(List<Call> calls) {
    static Turn of(Call... calls) {
      return new Turn(List.of(calls));
    }
  }

  /** What a call returned, as the tool_result event told it. */
  record Outcome(Call call, boolean isError, String content) {
    JsonNode json() {
      try {
        return Json.MAPPER.readTree(content);
      } catch (IOException e) {
        throw new AssertionError(call.tool() + " did not answer JSON: " + content, e);
      }
    }

    @Override
    public String toString() {
      return call.tool() + " " + call.input() + " -> " + (isError ? "error: " : "") + content;
    }
  }

  /** A finished run: its events and each call's outcome, in call order. */
  record Run(String executionId, String conversationId, String status, List<SseClient.Event> events, Map<String, Outcome> outcomes) {
    Outcome outcome(Call call) {
      Outcome outcome = outcomes.get(call.id());
      if (outcome == null) {
        throw new AssertionError("the run (" + status + ") has no result for " + call.tool() + " " + call.id() + "; events: " + events);
      }
      return outcome;
    }
  }

  /** How a fake model says "call these tools" and "here is my answer" in its protocol. */
  interface Protocol {
    FakeModelServer.Scripted toolTurn(Turn turn);

    FakeModelServer.Scripted answer(String text);
  }

  static final Protocol ANTHROPIC = new Protocol() {
    @Override
    public FakeModelServer.Scripted toolTurn(Turn turn) {
      var message = FakeAnthropicServer.message();
      turn.calls().forEach(c -> message.toolUse(c.id(), c.tool(), c.input()));
      return message;
    }

    @Override
    public FakeModelServer.Scripted answer(String text) {
      return FakeAnthropicServer.message().text(text);
    }
  };

  static final Protocol OPENAI = new Protocol() {
    @Override
    public FakeModelServer.Scripted toolTurn(Turn turn) {
      var completion = FakeOpenAiServer.completion();
      turn.calls().forEach(c -> completion.toolCall(c.id(), c.tool(), c.input()));
      return completion;
    }

    @Override
    public FakeModelServer.Scripted answer(String text) {
      return FakeOpenAiServer.completion().text(text);
    }
  };

  private final TestMason mason;
  private final FakeModelServer model;
  private final Protocol protocol;
  /** The model a run asks for, or null for Mason's default model. */
  private final String modelName;

  ScriptedAgent(TestMason mason, FakeModelServer model, Protocol protocol, String modelName) {
    this.mason = mason;
    this.model = model;
    this.protocol = protocol;
    this.modelName = modelName;
  }

  String createProject(User user, String name) {
    var created = user.api(mason).post("/api/projects", Json.MAPPER.createObjectNode().put("name", name).toString());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  /** Queues {@code turns} (one model answer each) and a closing answer, without starting a run. */
  void script(List<Turn> turns) {
    assertThat(model.pending()).as("model replies left over from an earlier run").isZero();
    turns.forEach(turn -> model.enqueue(protocol.toolTurn(turn)));
    model.enqueue(protocol.answer("Done."));
  }

  /** Starts a run in {@code conversation} (null: a new one); answers {execution_id, conversation_id}. */
  JsonNode invoke(User user, String project, String conversation, String message) {
    ObjectNode body = Json.MAPPER.createObjectNode().put("project_id", project).put("message", message);
    if (conversation != null) {
      body.put("conversation_id", conversation);
    }
    if (modelName != null) {
      body.put("model", modelName);
    }
    var response = user.api(mason).post("/api/invoke_agent", body.toString());
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json();
  }

  /** Reads the run's events from the start until {@code done} and collects each call's outcome. */
  Run follow(User user, JsonNode started, List<Turn> turns) {
    String execution = started.get("execution_id").asText();
    List<SseClient.Event> events = SseClient.read(mason.baseUrl() + "/api/executions/" + execution + "/events", user.headers(),
        e -> e.type().equals("done"), LIMIT);
    assertThat(events).as("the run's events end with done").isNotEmpty();
    assertThat(events.getLast().type()).as("the run ended within " + LIMIT.toSeconds() + " s: " + events).isEqualTo("done");
    Map<String, Call> calls = new LinkedHashMap<>();
    turns.forEach(turn -> turn.calls().forEach(c -> calls.put(c.id(), c)));
    Map<String, Outcome> outcomes = new LinkedHashMap<>();
    for (SseClient.Event event : events) {
      if (event.type().equals("tool_result")) {
        Call call = calls.get(event.data().path("tool_use_id").asText());
        if (call != null) {
          outcomes.put(call.id(), new Outcome(call, event.data().path("is_error").asBoolean(), event.data().path("content").asText()));
        }
      }
    }
    return new Run(execution, started.get("conversation_id").asText(), events.getLast().data().path("status").asText(), events, outcomes);
  }

  /** The names of the tools an Anthropic Messages request offered the model. */
  static List<String> offeredTools(JsonNode request) {
    return FakeWorkspace.list(request.path("tools")).stream().map(t -> t.path("name").asText()).toList();
  }

  /** Scripts {@code turns}, runs the agent as {@code user} and waits for the run's end. */
  Run run(User user, String project, String conversation, String message, List<Turn> turns) {
    script(turns);
    return follow(user, invoke(user, project, conversation, message), turns);
  }
}
