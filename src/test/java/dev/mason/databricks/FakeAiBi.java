package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import io.javalin.config.RoutesConfig;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AI/BI: Lakeview dashboards (Dashboard, PublishedDashboard) and Genie spaces (GenieSpace).
 * As on a real workspace, {@code serialized_dashboard} and {@code serialized_space} are JSON
 * strings: an object in their place is refused with 400, the trap the reference fell into. A
 * deleted dashboard or space goes to the trash (lifecycle_state TRASHED) and drops out of lists.
 *
 * <p>Thread-safe: state is in concurrent maps.
 */
final class FakeAiBi {
  private final FakeWorkspace fake;
  final FakeCollection dashboards;
  final FakeCollection spaces;
  private final Map<String, ObjectNode> published = new ConcurrentHashMap<>();

  FakeAiBi(FakeWorkspace fake) {
    this.fake = fake;
    dashboards = new FakeCollection("/api/2.0/lakeview/dashboards", "dashboards", "dashboard_id", "Dashboard").onCreate((ctx, d) -> {
      serialized(d, "serialized_dashboard");
      String now = Instant.now().toString();
      d.put("dashboard_id", UUID.randomUUID().toString().replace("-", "")).put("lifecycle_state", "ACTIVE").put("create_time", now)
          .put("update_time", now).put("etag", "1")
          .put("path", d.path("parent_path").asText("/Users/" + fake.user(ctx)) + "/" + d.path("display_name").asText() + ".lvdash.json");
    });
    spaces = new FakeCollection("/api/2.0/genie/spaces", "spaces", "space_id", "Genie space").onCreate((ctx, s) -> {
      serialized(s, "serialized_space");
      if (!s.hasNonNull("warehouse_id")) {
        throw FakeError.invalid("warehouse_id is required");
      }
      s.put("space_id", UUID.randomUUID().toString().replace("-", "")).put("etag", "1");
    });
  }

  void addTo(RoutesConfig routes) {
    dashboards.addTo(routes, FakeCollection.Route.LIST, FakeCollection.Route.UPDATE, FakeCollection.Route.DELETE);
    String dashboard = dashboards.path + "/{key}";
    routes.get(dashboards.path, ctx -> dashboards.list(ctx, d -> "true".equals(ctx.queryParam("show_trashed"))
        || d.path("lifecycle_state").asText().equals("ACTIVE")));
    routes.patch(dashboard, ctx -> {
      ObjectNode changes = FakeWorkspace.body(ctx);
      if (changes.has("serialized_dashboard")) {
        serialized(changes, "serialized_dashboard");
      }
      ObjectNode updated = dashboards.update(ctx.pathParam("key"), changes);
      updated.put("etag", Integer.toString(updated.path("etag").asInt() + 1)).put("update_time", Instant.now().toString());
      ctx.json(updated);
    });
    routes.delete(dashboard, ctx -> {
      dashboards.get(ctx.pathParam("key")).put("lifecycle_state", "TRASHED");
      ctx.json(FakeWorkspace.object());
    });
    routes.post(dashboard + "/published", ctx -> {
      ObjectNode current = dashboards.get(ctx.pathParam("key"));
      ObjectNode request = FakeWorkspace.body(ctx);
      ObjectNode publication = FakeWorkspace.object().put("display_name", current.path("display_name").asText())
          .put("embed_credentials", request.path("embed_credentials").asBoolean(true))
          .put("warehouse_id", request.path("warehouse_id").asText(current.path("warehouse_id").asText()))
          .put("revision_create_time", Instant.now().toString());
      published.put(ctx.pathParam("key"), publication);
      ctx.json(publication);
    });
    routes.get(dashboard + "/published", ctx -> ctx.json(publication(ctx.pathParam("key"))));
    routes.delete(dashboard + "/published", ctx -> {
      publication(ctx.pathParam("key"));
      published.remove(ctx.pathParam("key"));
      ctx.json(FakeWorkspace.object());
    });

    spaces.addTo(routes, FakeCollection.Route.GET, FakeCollection.Route.DELETE);
    routes.get(spaces.path + "/{key}", ctx -> {
      ObjectNode space = spaces.get(ctx.pathParam("key")).deepCopy();
      if (!"true".equals(ctx.queryParam("include_serialized_space"))) {
        space.remove("serialized_space");
      }
      ctx.json(space);
    });
    routes.delete(spaces.path + "/{key}", ctx -> {
      spaces.remove(ctx.pathParam("key"));
      ctx.json(FakeWorkspace.object());
    });
  }

  private ObjectNode publication(String dashboard) {
    dashboards.get(dashboard);
    ObjectNode publication = published.get(dashboard);
    if (publication == null) {
      throw FakeError.notFound("Dashboard " + dashboard + " is not published.");
    }
    return publication;
  }

  /** A serialized definition must be a string holding a JSON object, as the API's proto field is. */
  private static void serialized(ObjectNode item, String field) {
    JsonNode value = item.get(field);
    if (value == null) {
      return;
    }
    if (!value.isTextual()) {
      throw FakeError.invalid("Invalid value for " + field + ": expected a string, got " + value.getNodeType());
    }
    try {
      if (!Json.MAPPER.readTree(value.asText()).isObject()) {
        throw FakeError.invalid(field + " is not a JSON object.");
      }
    } catch (IOException e) {
      throw FakeError.invalid(field + " is not valid JSON: " + e.getMessage());
    }
  }
}
