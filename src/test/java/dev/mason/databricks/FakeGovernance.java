package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Unity Catalog APIs beyond objects and grants: storage credentials, external locations,
 * connections (StorageCredentialInfo, ExternalLocationInfo, ConnectionInfo), entity tag
 * assignments, quality monitors on tables (MonitorInfo, MonitorRefreshInfo), and Delta Sharing
 * shares (with ADD/REMOVE updates and permissions), recipients and providers.
 *
 * <p>Thread-safe: state is in concurrent maps.
 */
final class FakeGovernance {
  private static final String UC = "/api/2.1/unity-catalog";
  private final FakeWorkspace fake;
  final FakeCollection credentials;
  final FakeCollection locations;
  final FakeCollection connections;
  final FakeCollection shares;
  final FakeCollection recipients;
  final FakeCollection providers;
  /** "entity_type/entity_name" to tag key to assignment. */
  private final Map<String, Map<String, ObjectNode>> tags = new ConcurrentHashMap<>();
  /** Monitors by table full name. */
  final Map<String, ObjectNode> monitors = new ConcurrentSkipListMap<>();
  /** Share name to recipient to privileges. */
  private final Map<String, Map<String, ArrayNode>> sharePermissions = new ConcurrentHashMap<>();
  private final AtomicLong refreshes = new AtomicLong(1000);

  FakeGovernance(FakeWorkspace fake) {
    this.fake = fake;
    credentials = new FakeCollection(UC + "/storage-credentials", "storage_credentials", "name", "Storage Credential")
        .onCreate((ctx, c) -> owned(ctx, c).put("id", UUID.randomUUID().toString()).put("full_name", c.path("name").asText())
            .put("isolation_mode", "ISOLATION_MODE_OPEN"));
    locations = new FakeCollection(UC + "/external-locations", "external_locations", "name", "External Location")
        .onCreate((ctx, l) -> {
          if (!credentials.has(l.path("credential_name").asText())) {
            throw FakeError.notFound("Storage Credential '" + l.path("credential_name").asText() + "' does not exist.");
          }
          owned(ctx, l).put("credential_id", credentials.get(l.path("credential_name").asText()).path("id").asText());
        });
    connections = new FakeCollection(UC + "/connections", "connections", "name", "Connection")
        .onCreate((ctx, c) -> owned(ctx, c).put("connection_id", UUID.randomUUID().toString()).put("full_name", c.path("name").asText())
            .put("securable_type", "CONNECTION").put("credential_type", "USERNAME_PASSWORD")
            .put("url", "jdbc://" + c.path("options").path("host").asText() + ":" + c.path("options").path("port").asText()));
    shares = new FakeCollection(UC + "/shares", "shares", "name", "Share").onCreate((ctx, s) -> owned(ctx, s).putArray("objects"));
    recipients = new FakeCollection(UC + "/recipients", "recipients", "name", "Recipient").onCreate((ctx, r) -> {
      owned(ctx, r).put("id", UUID.randomUUID().toString()).put("activated", false);
      if (r.path("authentication_type").asText().equals("TOKEN")) {
        r.putArray("tokens").addObject().put("id", UUID.randomUUID().toString())
            .put("activation_url", fake.url() + "/delta_sharing/retrieve_config.html?" + UUID.randomUUID())
            .put("expiration_time", System.currentTimeMillis() + 86_400_000L);
      }
    });
    providers = new FakeCollection(UC + "/providers", "providers", "name", "Provider")
        .onCreate((ctx, p) -> owned(ctx, p).remove("recipient_profile_str"));
  }

  private ObjectNode owned(Context ctx, ObjectNode item) {
    return item.put("owner", fake.user(ctx)).put("created_by", fake.user(ctx)).put("created_at", System.currentTimeMillis())
        .put("metastore_id", "metastore-1");
  }

  void addTo(RoutesConfig routes) {
    credentials.addTo(routes);
    locations.addTo(routes);
    connections.addTo(routes);
    recipients.addTo(routes);
    providers.addTo(routes);
    routes.post(shares.path, ctx -> ctx.json(shares.create(ctx, FakeWorkspace.body(ctx))));
    routes.get(shares.path, ctx -> {
      ObjectNode body = FakeWorkspace.object();
      body.putArray("shares").addAll(shares.all());
      ctx.json(body);
    });
    routes.get(shares.path + "/{key}", ctx -> ctx.json(shares.get(ctx.pathParam("key"))));
    routes.patch(shares.path + "/{key}", this::updateShare);
    routes.delete(shares.path + "/{key}", ctx -> {
      shares.remove(ctx.pathParam("key"));
      ctx.json(FakeWorkspace.object());
    });
    routes.get(shares.path + "/{key}/permissions", ctx -> ctx.json(permissions(ctx.pathParam("key"))));
    routes.patch(shares.path + "/{key}/permissions", this::changePermissions);

    String assignments = UC + "/entity-tag-assignments";
    routes.post(assignments, this::assignTag);
    routes.get(assignments + "/{type}/{name}/tags", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      body.putArray("tag_assignments").addAll(tags.getOrDefault(ctx.pathParam("type") + "/" + ctx.pathParam("name"), Map.of()).values());
      ctx.json(body);
    });
    routes.patch(assignments + "/{type}/{name}/tags/{key}", ctx -> {
      if (!"tag_value".equals(ctx.queryParam("update_mask"))) {
        throw FakeError.invalid("update_mask is required");
      }
      ObjectNode assignment = tag(ctx);
      assignment.put("tag_value", FakeWorkspace.body(ctx).path("tag_value").asText());
      ctx.json(assignment);
    });
    routes.delete(assignments + "/{type}/{name}/tags/{key}", ctx -> {
      tag(ctx);
      tags.get(ctx.pathParam("type") + "/" + ctx.pathParam("name")).remove(ctx.pathParam("key"));
      ctx.json(FakeWorkspace.object());
    });

    String monitor = UC + "/tables/{table}/monitor";
    routes.post(monitor, this::createMonitor);
    routes.get(monitor, ctx -> ctx.json(monitor(ctx.pathParam("table"))));
    routes.put(monitor, ctx -> {
      ObjectNode current = monitor(ctx.pathParam("table"));
      ObjectNode body = FakeWorkspace.body(ctx);
      body.properties().forEach(e -> current.set(e.getKey(), e.getValue()));
      current.put("monitor_version", current.path("monitor_version").asLong() + 1);
      ctx.json(current);
    });
    routes.delete(monitor, ctx -> {
      monitor(ctx.pathParam("table"));
      monitors.remove(ctx.pathParam("table"));
      ctx.json(FakeWorkspace.object());
    });
    routes.post(monitor + "/refreshes", ctx -> ctx.json(refresh(monitor(ctx.pathParam("table")), "MANUAL")));
    routes.get(monitor + "/refreshes", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      body.set("refreshes", monitor(ctx.pathParam("table")).path("_refreshes"));
      ctx.json(body);
    });
  }

  private void assignTag(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    String entity = body.path("entity_type").asText() + "/" + body.path("entity_name").asText();
    if (body.path("entity_type").asText().equals("tables") && !fake.catalog.tableExists(body.path("entity_name").asText())) {
      throw new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + body.path("entity_name").asText() + "' does not exist.");
    }
    Map<String, ObjectNode> assigned = tags.computeIfAbsent(entity, e -> new ConcurrentSkipListMap<>());
    if (assigned.containsKey(body.path("tag_key").asText())) {
      throw FakeError.exists("Tag assignment with key " + body.path("tag_key").asText() + " already exists on " + entity + ".");
    }
    body.put("source_type", "TAG_ASSIGNMENT_SOURCE_TYPE_UNSPECIFIED").put("updated_by", fake.user(ctx));
    assigned.put(body.path("tag_key").asText(), body);
    ctx.json(body);
  }

  private ObjectNode tag(Context ctx) {
    ObjectNode assignment = tags.getOrDefault(ctx.pathParam("type") + "/" + ctx.pathParam("name"), Map.of()).get(ctx.pathParam("key"));
    if (assignment == null) {
      throw FakeError.notFound("Tag assignment " + ctx.pathParam("key") + " does not exist.");
    }
    return assignment;
  }

  private void createMonitor(Context ctx) {
    String table = ctx.pathParam("table");
    if (!fake.catalog.tableExists(table)) {
      throw new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + table + "' does not exist.");
    }
    if (monitors.containsKey(table)) {
      throw FakeError.exists("Monitor already exists for table " + table + ".");
    }
    ObjectNode body = FakeWorkspace.body(ctx);
    String output = body.path("output_schema_name").asText();
    String leaf = table.substring(table.lastIndexOf('.') + 1);
    body.put("table_name", table).put("status", "MONITOR_STATUS_ACTIVE").put("monitor_version", 1)
        .put("profile_metrics_table_name", output + "." + leaf + "_profile_metrics")
        .put("drift_metrics_table_name", output + "." + leaf + "_drift_metrics")
        .put("dashboard_id", UUID.randomUUID().toString().replace("-", ""));
    body.putArray("_refreshes");
    monitors.put(table, body);
    refresh(body, "MANUAL");
    ctx.json(visible(body));
  }

  private ObjectNode monitor(String table) {
    ObjectNode monitor = monitors.get(table);
    if (monitor == null) {
      throw FakeError.notFound("Monitor for table '" + table + "' does not exist.");
    }
    return visible(monitor);
  }

  /** The stored monitor without the fake's own bookkeeping. */
  private ObjectNode visible(ObjectNode monitor) {
    ObjectNode copy = monitor.deepCopy();
    copy.remove("_refreshes");
    return copy;
  }

  private ObjectNode refresh(ObjectNode visibleMonitor, String trigger) {
    ObjectNode stored = monitors.get(visibleMonitor.path("table_name").asText());
    ObjectNode refresh = FakeWorkspace.object().put("refresh_id", refreshes.incrementAndGet()).put("state", "PENDING")
        .put("start_time_ms", System.currentTimeMillis()).put("trigger", trigger);
    ((ArrayNode) stored.get("_refreshes")).insert(0, refresh);
    return refresh;
  }

  private void updateShare(Context ctx) {
    ObjectNode share = shares.get(ctx.pathParam("key"));
    ObjectNode body = FakeWorkspace.body(ctx);
    for (JsonNode update : body.path("updates")) {
      ObjectNode object = (ObjectNode) update.path("data_object").deepCopy();
      String name = object.path("name").asText();
      ArrayNode objects = (ArrayNode) share.get("objects");
      switch (update.path("action").asText()) {
        case "ADD" -> {
          if (!fake.catalog.tableExists(name)) {
            throw new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + name + "' does not exist.");
          }
          objects.add(object.put("added_by", fake.user(ctx)).put("added_at", System.currentTimeMillis()).put("status", "ACTIVE"));
        }
        case "REMOVE" -> {
          for (int i = 0; i < objects.size(); i++) {
            if (objects.get(i).path("name").asText().equals(name)) {
              objects.remove(i);
              break;
            }
          }
        }
        default -> throw FakeError.invalid("Unknown update action " + update.path("action").asText());
      }
    }
    body.remove("updates");
    ctx.json(shares.update(ctx.pathParam("key"), body));
  }

  private ObjectNode permissions(String share) {
    shares.get(share);
    ObjectNode body = FakeWorkspace.object();
    ArrayNode assignments = body.putArray("privilege_assignments");
    sharePermissions.getOrDefault(share, Map.of()).forEach((principal, privileges) -> {
      if (!privileges.isEmpty()) {
        assignments.addObject().put("principal", principal).set("privileges", privileges);
      }
    });
    return body;
  }

  private void changePermissions(Context ctx) {
    String share = ctx.pathParam("key");
    shares.get(share);
    for (JsonNode change : FakeWorkspace.body(ctx).path("changes")) {
      String principal = change.path("principal").asText();
      if (!recipients.has(principal)) {
        throw FakeError.notFound("Recipient '" + principal + "' does not exist.");
      }
      ArrayNode privileges = sharePermissions.computeIfAbsent(share, s -> new ConcurrentHashMap<>())
          .computeIfAbsent(principal, p -> FakeWorkspace.object().arrayNode());
      change.path("add").forEach(p -> privileges.add(p.asText()));
      for (JsonNode removed : change.path("remove")) {
        for (int i = privileges.size() - 1; i >= 0; i--) {
          if (privileges.get(i).asText().equals(removed.asText())) {
            privileges.remove(i);
          }
        }
      }
    }
    ctx.json(permissions(share));
  }
}
