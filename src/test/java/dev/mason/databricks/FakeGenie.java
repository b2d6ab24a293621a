package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Genie conversations. Each space answers every question with the SQL it was given, run on the
 * fake's PostgreSQL, and a sentence; a message advances one step per read (SUBMITTED,
 * EXECUTING_QUERY, COMPLETED). A conversation belongs to the user who started it.
 */
final class FakeGenie {
  private static final String API = "/api/2.0/genie/spaces";
  private final FakeWorkspace fake;
  private final FakeSqlEngine engine;
  private final Map<String, String> spaces = new ConcurrentHashMap<>();
  private final Map<String, String> conversations = new ConcurrentHashMap<>();
  private final Map<String, Message> messages = new ConcurrentHashMap<>();

  private record Message(String space, String conversation, String id, String question, AtomicInteger reads) {}

  FakeGenie(FakeWorkspace fake, FakeSqlEngine engine) {
    this.fake = fake;
    this.engine = engine;
  }

  /** A space whose answers run {@code sql}. */
  void addSpace(String id, String sql) {
    spaces.put(id, sql);
  }

  void addTo(RoutesConfig routes) {
    routes.post(API + "/{space}/start-conversation", ctx -> {
      space(ctx);
      String conversation = UUID.randomUUID().toString().replace("-", "");
      conversations.put(conversation, fake.user(ctx));
      Message message = ask(ctx, conversation);
      ObjectNode body = FakeWorkspace.object().put("conversation_id", conversation).put("message_id", message.id());
      body.set("message", json(message, "SUBMITTED"));
      ctx.json(body);
    });
    routes.post(API + "/{space}/conversations/{conversation}/messages", ctx -> {
      space(ctx);
      conversation(ctx);
      Message message = ask(ctx, ctx.pathParam("conversation"));
      ctx.json(json(message, "SUBMITTED"));
    });
    routes.get(API + "/{space}/conversations/{conversation}/messages/{message}", ctx -> {
      Message message = message(ctx);
      int read = message.reads().incrementAndGet();
      ctx.json(json(message, read == 1 ? "SUBMITTED" : read == 2 ? "EXECUTING_QUERY" : "COMPLETED"));
    });
    routes.get(API + "/{space}/conversations/{conversation}/messages/{message}/attachments/{attachment}/query-result", this::result);
  }

  private String space(Context ctx) {
    String sql = spaces.get(ctx.pathParam("space"));
    if (sql == null) {
      throw FakeError.notFound("Genie space " + ctx.pathParam("space") + " does not exist.");
    }
    return sql;
  }

  private void conversation(Context ctx) {
    if (!fake.user(ctx).equals(conversations.get(ctx.pathParam("conversation")))) {
      throw FakeError.notFound("Conversation " + ctx.pathParam("conversation") + " does not exist.");
    }
  }

  private Message ask(Context ctx, String conversation) {
    String id = UUID.randomUUID().toString().replace("-", "");
    Message message = new Message(ctx.pathParam("space"), conversation, id, FakeWorkspace.body(ctx).path("content").asText(), new AtomicInteger());
    messages.put(id, message);
    return message;
  }

  private Message message(Context ctx) {
    conversation(ctx);
    Message message = messages.get(ctx.pathParam("message"));
    if (message == null || !message.conversation().equals(ctx.pathParam("conversation"))) {
      throw FakeError.notFound("Message " + ctx.pathParam("message") + " does not exist.");
    }
    return message;
  }

  private ObjectNode json(Message message, String status) {
    ObjectNode body = FakeWorkspace.object().put("id", message.id()).put("message_id", message.id())
        .put("conversation_id", message.conversation()).put("space_id", message.space()).put("content", message.question())
        .put("status", status);
    if (status.equals("COMPLETED")) {
      ArrayNode attachments = body.putArray("attachments");
      attachments.addObject().put("attachment_id", "att-text").putObject("text").put("content", "Here is what I found for: " + message.question());
      attachments.addObject().put("attachment_id", "att-query").putObject("query")
          .put("query", spaces.get(message.space())).put("description", "Counts the rows asked about");
    }
    return body;
  }

  private void result(Context ctx) {
    Message message = message(ctx);
    String sql = spaces.get(message.space());
    FakeSqlEngine.Result result;
    try (Connection connection = engine.connect(null); Statement statement = connection.createStatement()) {
      result = FakeSqlEngine.run(statement, sql);
    } catch (SQLException e) {
      throw new FakeError(400, "BAD_REQUEST", FakeStatements.databricksMessage(e));
    }
    ObjectNode statement = FakeWorkspace.object().put("statement_id", "genie-" + message.id());
    statement.putObject("status").put("state", "SUCCEEDED");
    ObjectNode schema = statement.putObject("manifest").put("format", "JSON_ARRAY").put("total_row_count", result.rows().size())
        .putObject("schema").put("column_count", result.columns().size());
    ArrayNode columns = schema.putArray("columns");
    result.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type_name", c.typeName()).put("type_text", c.typeText()));
    ArrayNode data = statement.putObject("result").putArray("data_array");
    for (List<String> row : result.rows()) {
      ArrayNode values = data.addArray();
      row.forEach(values::add);
    }
    ctx.json(FakeWorkspace.object().set("statement_response", statement));
  }
}
