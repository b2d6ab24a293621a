package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** ask_genie: a question to an AI/BI Genie space, answered with its SQL, its rows and its words. */
final class AskGenieTool extends DatabricksTool {
  private static final Set<String> FINAL = Set.of("COMPLETED", "FAILED", "CANCELLED", "QUERY_RESULT_EXPIRED");
  private static final int MAX_ROWS = 100;

  AskGenieTool(ToolRuntime runtime) {
    super(runtime, "ask_genie",
        "Asks a Genie space (AI/BI natural-language questions over curated tables) a question as the user, and returns "
            + "Genie's answer: its text, the SQL it ran, the columns and up to 100 rows. Pass conversation_id from an earlier "
            + "answer to ask a follow-up in the same conversation.",
        InputSchema.object()
            .string("space_id", "The Genie space.")
            .string("question", "The question, in plain language.")
            .string("conversation_id", "Continue this conversation (from an earlier answer) instead of starting one.")
            .integer("timeout", "Seconds to wait for the answer (default 120, at most 600).")
            .required("space_id", "question"), READ_ONLY, IN_BACKGROUND);
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    String space = "/api/2.0/genie/spaces/" + WorkspaceApi.encodePath(args.string("space_id"));
    ObjectNode question = Json.MAPPER.createObjectNode().put("content", args.string("question"));
    String conversation;
    String message;
    if (args.has("conversation_id")) {
      conversation = args.string("conversation_id");
      JsonNode sent = call.api().post(space + "/conversations/" + WorkspaceApi.encodePath(conversation) + "/messages", question);
      message = sent.path("message_id").asText(sent.path("id").asText());
    } else {
      JsonNode started = call.api().post(space + "/start-conversation", question);
      conversation = started.path("conversation_id").asText();
      message = started.path("message_id").asText();
    }
    String messagePath = space + "/conversations/" + WorkspaceApi.encodePath(conversation) + "/messages/" + WorkspaceApi.encodePath(message);
    Duration timeout = Duration.ofSeconds(args.optInt("timeout", 120, 1, 600));
    Optional<JsonNode> answer = call.polling().until(timeout, () -> {
      JsonNode current = call.api().get(messagePath);
      return FINAL.contains(current.path("status").asText()) ? current : null;
    });
    if (answer.isEmpty()) {
      throw new ToolFailure("Genie did not answer within " + timeout.toSeconds() + " s (conversation_id " + conversation
          + ", message_id " + message + "); ask again later with a higher timeout");
    }
    return render(call, messagePath, conversation, message, answer.get()).toString();
  }

  private static ObjectNode render(ToolCall call, String messagePath, String conversation, String message, JsonNode answer) {
    ObjectNode out = Json.MAPPER.createObjectNode().put("conversation_id", conversation).put("message_id", message)
        .put("status", answer.path("status").asText());
    if (answer.has("error")) {
      out.put("error", answer.path("error").path("error").asText(answer.path("error").toString()));
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode attachment : answer.path("attachments")) {
      if (attachment.has("text")) {
        text.append(text.isEmpty() ? "" : "\n").append(attachment.path("text").path("content").asText());
      }
      JsonNode query = attachment.path("query");
      if (!query.isMissingNode()) {
        out.put("sql", query.path("query").asText()).put("description", query.path("description").asText(null));
        JsonNode result = call.api().get(messagePath + "/attachments/" + WorkspaceApi.encodePath(attachment.path("attachment_id").asText())
            + "/query-result").path("statement_response");
        addRows(out, result);
      }
    }
    out.put("text_response", text.isEmpty() ? null : text.toString());
    return out;
  }

  private static void addRows(ObjectNode out, JsonNode statement) {
    ArrayNode columns = out.putArray("columns");
    statement.path("manifest").path("schema").path("columns").forEach(c -> columns.add(c.path("name").asText()));
    ArrayNode data = out.putArray("data");
    int n = 0;
    for (JsonNode row : statement.path("result").path("data_array")) {
      if (n++ == MAX_ROWS) {
        break;
      }
      data.add(row);
    }
    long total = statement.path("manifest").path("total_row_count").asLong(data.size());
    out.put("row_count", total);
    if (total > data.size()) {
      out.put("note", "showing " + data.size() + " of " + total + " rows");
    }
  }
}
