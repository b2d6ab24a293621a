package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The model endpoints CLIs use, in their wire formats: Anthropic Messages (SSE with
 * {@code message_start}, {@code content_block_delta}, {@code message_delta} usage), OpenAI chat
 * completions (SSE chunks, {@code data: [DONE]}, a usage chunk), OpenAI responses (typed SSE events
 * ending in {@code response.completed}) and Gemini ({@code :streamGenerateContent?alt=sse} chunks
 * with {@code usageMetadata}, and {@code :generateContent}), plus each protocol's model list.
 * Served under the workspace's {@code /serving-endpoints} paths and by {@link FakeAiGateway}.
 *
 * <p>A request whose last message is the user's text asking to "use a tool" is answered, in every
 * protocol, with one call of the tool {@code get_weather} with {@code {"city": "Oslo"}} (an OpenAI
 * chat one with {@code finish_reason: stop}, as Databricks endpoints do); any other request with
 * "Hello from the fake endpoint". {@link #holdAfterFirstEvent} keeps
 * every stream open after its first text event until released, so a test can see that events reach
 * the client one by one.
 */
public final class FakeModelEndpoints {
  static final List<String> WORDS = List.of("Hello", " from", " the", " fake", " endpoint");
  private final AtomicReference<CountDownLatch> hold = new AtomicReference<>();
  private final AtomicInteger brokenStreams = new AtomicInteger();
  private final AtomicReference<ScriptedToolUse> scripted = new AtomicReference<>();

  /** A tool call the Anthropic endpoint makes when offered {@code tool}; see {@link #scriptToolUse}. */
  record ScriptedToolUse(String tool, String inputJson) {}

  /**
   * From now on, a streamed Anthropic request that offers a tool named {@code tool} and does not
   * yet answer a tool call is answered with a {@code tool_use} of it ({@code content_block_start}
   * with the name, the input as {@code input_json_delta}, {@code stop_reason: tool_use}), as the
   * Messages API streams one; the request that carries the {@code tool_result} gets the usual text.
   */
  public void scriptToolUse(String tool, String inputJson) {
    scripted.set(new ScriptedToolUse(tool, inputJson));
  }

  /** Streams whose client went away before the end: the fake's write failed. */
  public int brokenStreams() {
    return brokenStreams.get();
  }

  /** Streams pause after their first text event until the returned latch is counted down. */
  public CountDownLatch holdAfterFirstEvent() {
    CountDownLatch latch = new CountDownLatch(1);
    hold.set(latch);
    return latch;
  }

  public void release() {
    CountDownLatch latch = hold.getAndSet(null);
    if (latch != null) {
      latch.countDown();
    }
  }

  void addTo(RoutesConfig routes, String anthropic, String openAi, String gemini) {
    routes.post(anthropic + "/v1/messages", this::anthropic);
    routes.get(anthropic + "/v1/models", ctx -> ctx.json(models("data", "id", "databricks-claude-sonnet-4-5")));
    routes.post(openAi + "/chat/completions", this::chat);
    routes.post(openAi + "/responses", this::responses);
    routes.get(openAi + "/models", ctx -> ctx.json(models("data", "id", "databricks-gpt-5")));
    routes.post(gemini + "/v1beta/models/<call>", this::gemini);
    routes.get(gemini + "/v1beta/models", ctx -> ctx.json(models("models", "name", "models/databricks-gemini-2-5-pro")));
  }

  /**
   * Whether the last message is the user's own text asking to "use a tool": its {@code field} is
   * that text, or a list of parts or blocks of which a text one does (a tool result never does).
   */
  static boolean asksForTool(com.fasterxml.jackson.databind.JsonNode messages, String field) {
    if (!messages.isArray() || messages.isEmpty()) {
      return false;
    }
    com.fasterxml.jackson.databind.JsonNode last = messages.get(messages.size() - 1);
    if (!last.path("role").asText("user").equals("user")) {
      return false;
    }
    com.fasterxml.jackson.databind.JsonNode content = last.path(field);
    if (content.isTextual()) {
      return content.asText().contains("use a tool");
    }
    for (com.fasterxml.jackson.databind.JsonNode part : content) {
      if (part.path("text").asText("").contains("use a tool")) {
        return true;
      }
    }
    return false;
  }

  private static ObjectNode models(String listField, String idField, String id) {
    ObjectNode body = FakeWorkspace.object();
    body.putArray(listField).addObject().put(idField, id).put("type", "model");
    return body;
  }

  private void anthropic(Context ctx) throws IOException {
    ObjectNode request = FakeWorkspace.body(ctx);
    String model = request.path("model").asText("databricks-claude-sonnet-4-5");
    if (asksForTool(request.path("messages"), "content")) {
      if (!request.path("stream").asBoolean(false)) {
        ObjectNode body = FakeWorkspace.object().put("id", "msg_2").put("type", "message").put("role", "assistant").put("model", model);
        body.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "get_weather")
            .putObject("input").put("city", "Oslo");
        body.put("stop_reason", "tool_use");
        body.putObject("usage").put("input_tokens", 12).put("output_tokens", 9);
        ctx.json(body);
        return;
      }
      OutputStream out = stream(ctx);
      event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"type\":\"message\",\"role\":\"assistant\","
          + "\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
          + "\"usage\":{\"input_tokens\":12,\"cache_read_input_tokens\":30,\"cache_creation_input_tokens\":4,\"output_tokens\":1}}}");
      event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
      event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Checking.\"}}");
      event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
      event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\","
          + "\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}");
      event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \"}}");
      event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\\\"Oslo\\\"}\"}}");
      event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":1}");
      event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
          + "\"usage\":{\"output_tokens\":9}}");
      event(out, "message_stop", "{\"type\":\"message_stop\"}");
      return;
    }
    if (!request.path("stream").asBoolean(false)) {
      ObjectNode body = FakeWorkspace.object().put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", model);
      body.putArray("content").addObject().put("type", "text").put("text", String.join("", WORDS));
      body.put("stop_reason", "end_turn");
      body.putObject("usage").put("input_tokens", 12).put("output_tokens", WORDS.size());
      ctx.json(body);
      return;
    }
    // metadata.user_id "long-stream" asks for an answer longer than any socket buffers hold, so a client
    // that leaves early is always noticed by the gateway's next writes.
    int extra = "long-stream".equals(request.path("metadata").path("user_id").asText()) ? 200_000 : 0;
    OutputStream out = stream(ctx);
    ScriptedToolUse tool = scripted.get();
    if (tool != null && offers(request, tool.tool()) && !answersTool(request)) {
      anthropicToolUse(out, model, tool);
      return;
    }
    try {
      anthropicStream(out, model, extra);
    } catch (IOException e) {
      brokenStreams.incrementAndGet();
    }
  }

  private static boolean offers(ObjectNode request, String tool) {
    for (JsonNode offered : request.path("tools")) {
      if (tool.equals(offered.path("name").asText())) {
        return true;
      }
    }
    return false;
  }

  /** Whether the last message carries a tool_result: the scripted call was made already. */
  private static boolean answersTool(ObjectNode request) {
    JsonNode messages = request.path("messages");
    if (messages.isEmpty()) {
      return false;
    }
    for (JsonNode block : messages.get(messages.size() - 1).path("content")) {
      if ("tool_result".equals(block.path("type").asText())) {
        return true;
      }
    }
    return false;
  }

  private static void anthropicToolUse(OutputStream out, String model, ScriptedToolUse tool) throws IOException {
    event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_tool\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":30,\"output_tokens\":1}}}");
    event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\","
        + "\"id\":\"toolu_01Mason\",\"name\":\"" + tool.tool() + "\",\"input\":{}}}");
    event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\","
        + "\"partial_json\":" + dev.mason.web.Json.MAPPER.writeValueAsString(tool.inputJson()) + "}}");
    event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":12}}");
    event(out, "message_stop", "{\"type\":\"message_stop\"}");
  }

  private void anthropicStream(OutputStream out, String model, int extra) throws IOException {
    event(out, "message_start", "{\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\","
        + "\"model\":\"" + model + "\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
        + "\"usage\":{\"input_tokens\":12,\"output_tokens\":1}}}");
    event(out, "content_block_start", "{\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}");
    event(out, "ping", "{\"type\": \"ping\"}");
    for (int i = 0; i < WORDS.size(); i++) {
      event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\""
          + WORDS.get(i) + "\"}}");
      if (i == 0) {
        awaitRelease();
      }
    }
    for (int i = 0; i < extra; i++) {
      event(out, "content_block_delta", "{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" more\"}}");
    }
    event(out, "content_block_stop", "{\"type\":\"content_block_stop\",\"index\":0}");
    event(out, "message_delta", "{\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},"
        + "\"usage\":{\"output_tokens\":" + WORDS.size() + "}}");
    event(out, "message_stop", "{\"type\":\"message_stop\"}");
  }

  private void chat(Context ctx) throws IOException {
    ObjectNode request = FakeWorkspace.body(ctx);
    String model = request.path("model").asText("databricks-gpt-5");
    boolean tool = asksForTool(request.path("messages"), "content");
    OutputStream out = stream(ctx);
    String head = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"" + model + "\",";
    if (tool) {
      data(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"tool_calls\":[{\"index\":0,\"id\":\"call_1\","
          + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"\"}}]},\"finish_reason\":null}]}");
      data(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}}]},"
          + "\"finish_reason\":null}]}");
      data(out, head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    } else {
      for (int i = 0; i < WORDS.size(); i++) {
        data(out, head + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + WORDS.get(i) + "\"},\"finish_reason\":null}]}");
        if (i == 0) {
          awaitRelease();
        }
      }
      data(out, head + "\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}");
    }
    data(out, head + "\"choices\":[],\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":" + WORDS.size() + ",\"total_tokens\":25}}");
    data(out, "[DONE]");
  }

  private void responses(Context ctx) throws IOException {
    ObjectNode request = FakeWorkspace.body(ctx);
    String model = request.path("model").asText("databricks-gpt-5");
    OutputStream out = stream(ctx);
    if (request.path("input").isArray() && asksForTool(request.path("input"), "content")) {
      event(out, "response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_2\",\"object\":\"response\","
          + "\"status\":\"in_progress\",\"model\":\"" + model + "\",\"output\":[]}}");
      event(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,"
          + "\"item\":{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"get_weather\",\"arguments\":\"\",\"status\":\"in_progress\"}}");
      event(out, "response.function_call_arguments.delta", "{\"type\":\"response.function_call_arguments.delta\",\"sequence_number\":2,"
          + "\"item_id\":\"fc_1\",\"output_index\":0,\"delta\":\"{\\\"city\\\":\\\"Oslo\\\"}\"}");
      String call = "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"get_weather\","
          + "\"arguments\":\"{\\\"city\\\":\\\"Oslo\\\"}\",\"status\":\"completed\"}";
      event(out, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":3,\"output_index\":0,\"item\":" + call + "}");
      event(out, "response.completed", "{\"type\":\"response.completed\",\"sequence_number\":4,\"response\":{\"id\":\"resp_2\","
          + "\"object\":\"response\",\"status\":\"completed\",\"model\":\"" + model + "\",\"output\":[" + call + "],"
          + "\"usage\":{\"input_tokens\":30,\"input_tokens_details\":{\"cached_tokens\":16},\"output_tokens\":7,\"total_tokens\":37}}}");
      return;
    }
    String text = String.join("", WORDS);
    event(out, "response.created", "{\"type\":\"response.created\",\"sequence_number\":0,\"response\":{\"id\":\"resp_1\",\"object\":\"response\","
        + "\"status\":\"in_progress\",\"model\":\"" + model + "\",\"output\":[]}}");
    // The item and its content part open before the first delta, as the Responses API streams them.
    event(out, "response.output_item.added", "{\"type\":\"response.output_item.added\",\"sequence_number\":1,\"output_index\":0,"
        + "\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"in_progress\",\"role\":\"assistant\",\"content\":[]}}");
    event(out, "response.content_part.added", "{\"type\":\"response.content_part.added\",\"sequence_number\":2,\"item_id\":\"msg_1\","
        + "\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"\",\"annotations\":[]}}");
    for (int i = 0; i < WORDS.size(); i++) {
      event(out, "response.output_text.delta", "{\"type\":\"response.output_text.delta\",\"sequence_number\":" + (i + 3)
          + ",\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"" + WORDS.get(i) + "\"}");
      if (i == 0) {
        awaitRelease();
      }
    }
    event(out, "response.output_text.done", "{\"type\":\"response.output_text.done\",\"sequence_number\":10,\"item_id\":\"msg_1\","
        + "\"output_index\":0,\"content_index\":0,\"text\":\"" + text + "\"}");
    event(out, "response.content_part.done", "{\"type\":\"response.content_part.done\",\"sequence_number\":11,\"item_id\":\"msg_1\","
        + "\"output_index\":0,\"content_index\":0,\"part\":{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}}");
    event(out, "response.output_item.done", "{\"type\":\"response.output_item.done\",\"sequence_number\":12,\"output_index\":0,"
        + "\"item\":{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":\"assistant\","
        + "\"content\":[{\"type\":\"output_text\",\"text\":\"" + text + "\",\"annotations\":[]}]}}");
    event(out, "response.completed", "{\"type\":\"response.completed\",\"sequence_number\":13,\"response\":{\"id\":\"resp_1\","
        + "\"object\":\"response\",\"status\":\"completed\",\"model\":\"" + model + "\",\"output\":[{\"type\":\"message\",\"id\":\"msg_1\","
        + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"" + String.join("", WORDS) + "\"}]}],"
        + "\"usage\":{\"input_tokens\":30,\"output_tokens\":" + WORDS.size() + ",\"total_tokens\":35}}}");
  }

  private void gemini(Context ctx) throws IOException {
    String call = ctx.pathParam("call");
    int colon = call.indexOf(':');
    if (colon < 0) {
      ctx.json(models("models", "name", "models/" + call));
      return;
    }
    String model = call.substring(0, colon);
    String method = call.substring(colon + 1);
    ObjectNode request = FakeWorkspace.body(ctx);
    if (asksForTool(request.path("contents"), "parts")) {
      String chunk = "{\"candidates\":[{\"content\":{\"parts\":[{\"functionCall\":{\"name\":\"get_weather\",\"args\":{\"city\":\"Oslo\"}}}],"
          + "\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],"
          + "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":3,\"totalTokenCount\":11},\"modelVersion\":\"" + model + "\"}";
      if (method.equals("generateContent")) {
        ctx.json(parse(chunk));
      } else {
        data(stream(ctx), chunk);
      }
      return;
    }
    if (method.equals("generateContent")) {
      ctx.json(parse(geminiChunk(String.join("", WORDS), model, true)));
      return;
    }
    if (!method.equals("streamGenerateContent") || !"sse".equals(ctx.queryParam("alt"))) {
      throw FakeError.invalid("this fake streams Gemini answers as SSE only (alt=sse)");
    }
    OutputStream out = stream(ctx);
    for (int i = 0; i < WORDS.size(); i++) {
      data(out, geminiChunk(WORDS.get(i), model, i == WORDS.size() - 1));
      if (i == 0) {
        awaitRelease();
      }
    }
  }

  private static String geminiChunk(String text, String model, boolean last) {
    return "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"},"
        + (last ? "\"finishReason\":\"STOP\"," : "") + "\"index\":0}],"
        + "\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":" + (last ? WORDS.size() : 1) + ",\"totalTokenCount\":13},"
        + "\"modelVersion\":\"" + model + "\"}";
  }

  private static JsonNode parse(String json) throws IOException {
    return dev.mason.web.Json.MAPPER.readTree(json);
  }

  private void awaitRelease() {
    CountDownLatch latch = hold.get();
    if (latch != null) {
      try {
        latch.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static OutputStream stream(Context ctx) throws IOException {
    ctx.res().setStatus(200);
    ctx.res().setContentType("text/event-stream");
    ctx.res().setHeader("Cache-Control", "no-cache");
    OutputStream out = ctx.res().getOutputStream();
    out.flush();
    return out;
  }

  private static void event(OutputStream out, String name, String data) throws IOException {
    out.write(("event: " + name + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void data(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
