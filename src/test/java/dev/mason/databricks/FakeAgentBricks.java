package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Agent Bricks, as the SDK's knowledgeassistants and supervisoragents services call it:
 * knowledge assistants ({@code knowledge-assistants/<id>}, CREATING until they have a source,
 * then ACTIVE) with knowledge sources (exactly one of files, index, file_table), and supervisor
 * agents ({@code supervisor-agents/<id>}) with tools, whose Genie space or knowledge assistant
 * must exist. PATCH honours {@code update_mask}.
 *
 * <p>Thread-safe: state is in concurrent maps.
 */
final class FakeAgentBricks {
  private static final String KA = "/api/2.1/knowledge-assistants";
  private static final String MAS = "/api/2.1/supervisor-agents";
  private final FakeWorkspace fake;
  private final Map<String, ObjectNode> assistants = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectNode> supervisors = new ConcurrentSkipListMap<>();
  /** Children (knowledge sources, tools) by their parent's id, in order of creation. */
  private final Map<String, Map<String, ObjectNode>> children = new ConcurrentHashMap<>();

  FakeAgentBricks(FakeWorkspace fake) {
    this.fake = fake;
  }

  void addTo(RoutesConfig routes) {
    routes.post(KA, ctx -> ctx.json(create(ctx, assistants, "knowledge-assistants", "ka").put("state", "CREATING")));
    routes.get(KA, ctx -> ctx.json(list("knowledge_assistants", assistants.values())));
    routes.get(KA + "/{id}", ctx -> ctx.json(find(assistants, ctx.pathParam("id"), "Knowledge assistant")));
    routes.patch(KA + "/{id}", ctx -> ctx.json(patch(ctx, find(assistants, ctx.pathParam("id"), "Knowledge assistant"))));
    routes.delete(KA + "/{id}", ctx -> remove(ctx, assistants, "Knowledge assistant"));
    routes.post(KA + "/{id}/knowledge-sources", this::addSource);
    routes.get(KA + "/{id}/knowledge-sources", ctx -> {
      find(assistants, ctx.pathParam("id"), "Knowledge assistant");
      ctx.json(list("knowledge_sources", children.getOrDefault(ctx.pathParam("id"), Map.of()).values()));
    });
    routes.post(KA + "/{id}/knowledge-sources:sync", ctx -> {
      find(assistants, ctx.pathParam("id"), "Knowledge assistant");
      children.getOrDefault(ctx.pathParam("id"), Map.of()).values().forEach(s -> s.put("state", "UPDATING"));
      ctx.json(FakeWorkspace.object());
    });

    routes.post(MAS, ctx -> ctx.json(create(ctx, supervisors, "supervisor-agents", "mas")));
    routes.get(MAS, ctx -> ctx.json(list("supervisor_agents", supervisors.values())));
    routes.get(MAS + "/{id}", ctx -> ctx.json(find(supervisors, ctx.pathParam("id"), "Supervisor agent")));
    routes.patch(MAS + "/{id}", ctx -> ctx.json(patch(ctx, find(supervisors, ctx.pathParam("id"), "Supervisor agent"))));
    routes.delete(MAS + "/{id}", ctx -> remove(ctx, supervisors, "Supervisor agent"));
    routes.post(MAS + "/{id}/tools", this::addTool);
    routes.get(MAS + "/{id}/tools", ctx -> {
      find(supervisors, ctx.pathParam("id"), "Supervisor agent");
      ctx.json(list("tools", children.getOrDefault(ctx.pathParam("id"), Map.of()).values()));
    });
    routes.delete(MAS + "/{id}/tools/{tool}", ctx -> {
      find(supervisors, ctx.pathParam("id"), "Supervisor agent");
      if (children.getOrDefault(ctx.pathParam("id"), Map.of()).remove(ctx.pathParam("tool")) == null) {
        throw FakeError.notFound("Tool " + ctx.pathParam("tool") + " does not exist.");
      }
      ctx.json(FakeWorkspace.object());
    });
  }

  private ObjectNode create(Context ctx, Map<String, ObjectNode> items, String collection, String prefix) {
    ObjectNode item = FakeWorkspace.body(ctx);
    if (!item.hasNonNull("display_name")) {
      throw FakeError.invalid("display_name is required");
    }
    String id = UUID.randomUUID().toString();
    item.put("id", id).put("name", collection + "/" + id).put("creator", fake.user(ctx)).put("create_time", Instant.now().toString())
        .put("endpoint_name", prefix + "-" + id.substring(0, 8) + "-endpoint").put("experiment_id", "exp-" + id.substring(0, 8));
    items.put(id, item);
    return item;
  }

  private static ObjectNode find(Map<String, ObjectNode> items, String id, String noun) {
    ObjectNode item = items.get(id);
    if (item == null) {
      throw FakeError.notFound(noun + " " + id + " does not exist.");
    }
    return item;
  }

  private static ObjectNode patch(Context ctx, ObjectNode item) {
    String mask = ctx.queryParam("update_mask");
    if (mask == null || mask.isBlank()) {
      throw FakeError.invalid("update_mask is required");
    }
    ObjectNode changes = FakeWorkspace.body(ctx);
    for (String field : mask.split(",")) {
      item.set(field.strip(), changes.get(field.strip()));
    }
    return item;
  }

  private void remove(Context ctx, Map<String, ObjectNode> items, String noun) {
    find(items, ctx.pathParam("id"), noun);
    items.remove(ctx.pathParam("id"));
    children.remove(ctx.pathParam("id"));
    ctx.json(FakeWorkspace.object());
  }

  private static ObjectNode list(String field, java.util.Collection<ObjectNode> items) {
    ObjectNode body = FakeWorkspace.object();
    ArrayNode list = body.putArray(field);
    items.forEach(list::add);
    return body;
  }

  private void addSource(Context ctx) {
    ObjectNode assistant = find(assistants, ctx.pathParam("id"), "Knowledge assistant");
    ObjectNode source = FakeWorkspace.body(ctx);
    long specs = List.of("files", "index", "file_table").stream().filter(source::has).count();
    if (specs != 1) {
      throw FakeError.invalid("Exactly one of files, index or file_table must be set.");
    }
    if (source.has("index") && !fake.vectorSearch.hasIndex(source.path("index").path("index_name").asText())) {
      throw FakeError.notFound("Vector index " + source.path("index").path("index_name").asText() + " does not exist.");
    }
    String id = UUID.randomUUID().toString();
    source.put("id", id).put("name", assistant.path("name").asText() + "/knowledge-sources/" + id).put("state", "UPDATED")
        .put("create_time", Instant.now().toString());
    children.computeIfAbsent(ctx.pathParam("id"), k -> new ConcurrentSkipListMap<>()).put(id, source);
    assistant.put("state", "ACTIVE");
    ctx.json(source);
  }

  private void addTool(Context ctx) {
    ObjectNode supervisor = find(supervisors, ctx.pathParam("id"), "Supervisor agent");
    String id = ctx.queryParam("tool_id");
    if (id == null || id.isBlank()) {
      throw FakeError.invalid("tool_id is required");
    }
    ObjectNode tool = FakeWorkspace.body(ctx);
    JsonNode assistant = tool.path("knowledge_assistant");
    if (!assistant.isMissingNode() && !assistants.containsKey(assistant.path("knowledge_assistant_id").asText())) {
      throw FakeError.notFound("Knowledge assistant " + assistant.path("knowledge_assistant_id").asText() + " does not exist.");
    }
    JsonNode space = tool.path("genie_space");
    if (!space.isMissingNode() && !fake.aibi.spaces.has(space.path("id").asText())) {
      throw FakeError.notFound("Genie space " + space.path("id").asText() + " does not exist.");
    }
    Map<String, ObjectNode> tools = children.computeIfAbsent(ctx.pathParam("id"), k -> new ConcurrentSkipListMap<>());
    if (tools.containsKey(id)) {
      throw FakeError.exists("Tool " + id + " already exists.");
    }
    tool.put("tool_id", id).put("id", id).put("name", supervisor.path("name").asText() + "/tools/" + id);
    tools.put(id, tool);
    ctx.json(tool);
  }
}
