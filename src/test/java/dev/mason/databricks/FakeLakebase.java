package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Lakebase: provisioned database instances, synced tables and credentials (the Database API:
 * DatabaseInstance, SyncedDatabaseTable, DatabaseCredential), and autoscaling projects with
 * branches and endpoints (the Postgres API: Project, Branch, Endpoint, answered with a done
 * Operation as the long-running calls are). Every credential handed out is kept, so a test can
 * tell the one a tool wrote to a file.
 *
 * <p>Thread-safe: state is in concurrent maps.
 */
final class FakeLakebase {
  private static final String POSTGRES = "/api/2.0/postgres";
  private final FakeWorkspace fake;
  final FakeCollection instances;
  final FakeCollection syncedTables;
  private final Map<String, ObjectNode> projects = new ConcurrentSkipListMap<>();
  /** Branch and endpoint resources by their full names (projects/p/branches/b[/endpoints/e]). */
  private final Map<String, ObjectNode> resources = new ConcurrentSkipListMap<>();
  /** Tokens handed out, newest last. */
  final java.util.List<String> tokens = new java.util.concurrent.CopyOnWriteArrayList<>();

  FakeLakebase(FakeWorkspace fake) {
    this.fake = fake;
    instances = new FakeCollection("/api/2.0/database/instances", "database_instances", "name", "Database instance")
        .onCreate((ctx, i) -> i.put("uid", UUID.randomUUID().toString()).put("state", "AVAILABLE").put("creator", fake.user(ctx))
            .put("creation_time", Instant.now().toString()).put("read_write_dns", "instance-" + i.path("name").asText() + ".database.example.com")
            .put("effective_capacity", i.path("capacity").asText("CU_1")).put("effective_stopped", false));
    syncedTables = new FakeCollection("/api/2.0/database/synced_tables", "synced_tables", "name", "Synced table").onCreate((ctx, t) -> {
      instances.get(t.path("database_instance_name").asText());
      String source = t.path("spec").path("source_table_full_name").asText();
      if (!fake.catalog.tableExists(source)) {
        throw new FakeError(404, "TABLE_DOES_NOT_EXIST", "Table '" + source + "' does not exist.");
      }
      t.putObject("data_synchronization_status").put("detailed_state", "SYNCED_TABLE_PROVISIONING_INITIAL_SNAPSHOT")
          .put("message", "Initial snapshot in progress").put("pipeline_id", UUID.randomUUID().toString());
      t.put("unity_catalog_provisioning_state", "PROVISIONING");
    });
  }

  void addTo(RoutesConfig routes) {
    instances.addTo(routes);
    syncedTables.addTo(routes);
    routes.post("/api/2.0/database/credentials", ctx -> {
      for (JsonNode name : FakeWorkspace.body(ctx).path("instance_names")) {
        instances.get(name.asText());
      }
      ctx.json(credential("expiration_time"));
    });
    routes.post(POSTGRES + "/projects", this::createProject);
    routes.get(POSTGRES + "/projects", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      body.putArray("projects").addAll(projects.values());
      ctx.json(body);
    });
    routes.get(POSTGRES + "/projects/{p}", ctx -> ctx.json(project(ctx.pathParam("p"))));
    routes.patch(POSTGRES + "/projects/{p}", ctx -> {
      ObjectNode project = project(ctx.pathParam("p"));
      JsonNode spec = FakeWorkspace.body(ctx).path("spec");
      if ("spec.display_name".equals(ctx.queryParam("update_mask"))) {
        ((ObjectNode) project.get("status")).put("display_name", spec.path("display_name").asText());
      }
      ctx.json(operation(project));
    });
    routes.delete(POSTGRES + "/projects/{p}", ctx -> {
      ObjectNode project = project(ctx.pathParam("p"));
      projects.remove(ctx.pathParam("p"));
      resources.keySet().removeIf(k -> k.startsWith("projects/" + ctx.pathParam("p") + "/"));
      ctx.json(operation(project));
    });
    routes.post(POSTGRES + "/projects/{p}/branches", ctx -> {
      project(ctx.pathParam("p"));
      String id = ctx.queryParam("branch_id");
      String source = FakeWorkspace.body(ctx).path("spec").path("source_branch").asText();
      resource(source);
      ctx.json(operation(branch(ctx.pathParam("p"), id, source, false)));
    });
    routes.get(POSTGRES + "/projects/{p}/branches", ctx -> ctx.json(children("branches", "projects/" + ctx.pathParam("p") + "/branches/")));
    routes.get(POSTGRES + "/projects/{p}/branches/{b}", ctx -> ctx.json(resource(branchName(ctx))));
    routes.delete(POSTGRES + "/projects/{p}/branches/{b}", ctx -> {
      ObjectNode branch = resource(branchName(ctx));
      if (branch.path("status").path("default").asBoolean()) {
        throw FakeError.invalid("The default branch cannot be deleted.");
      }
      resources.keySet().removeIf(k -> k.equals(branchName(ctx)) || k.startsWith(branchName(ctx) + "/"));
      ctx.json(operation(branch));
    });
    routes.get(POSTGRES + "/projects/{p}/branches/{b}/endpoints", ctx -> {
      resource(branchName(ctx));
      ctx.json(children("endpoints", branchName(ctx) + "/endpoints/"));
    });
    routes.post(POSTGRES + "/credentials", ctx -> {
      resource(FakeWorkspace.body(ctx).path("endpoint").asText());
      ctx.json(credential("expire_time"));
    });
  }

  private ObjectNode credential(String expiryField) {
    String token = "pg-token-" + UUID.randomUUID();
    tokens.add(token);
    return FakeWorkspace.object().put("token", token).put(expiryField, Instant.now().plusSeconds(3600).toString());
  }

  private void createProject(Context ctx) {
    String id = ctx.queryParam("project_id");
    if (id == null || id.isBlank()) {
      throw FakeError.invalid("project_id is required");
    }
    if (projects.containsKey(id)) {
      throw FakeError.exists("Project projects/" + id + " already exists.");
    }
    JsonNode spec = FakeWorkspace.body(ctx).path("spec");
    ObjectNode project = FakeWorkspace.object().put("name", "projects/" + id).put("project_id", id).put("uid", UUID.randomUUID().toString())
        .put("create_time", Instant.now().toString());
    project.set("spec", spec);
    project.putObject("status").put("display_name", spec.path("display_name").asText(id)).put("pg_version", spec.path("pg_version").asInt(17))
        .put("owner", fake.user(ctx)).put("default_branch", "projects/" + id + "/branches/main");
    projects.put(id, project);
    branch(id, "main", null, true);
    ctx.json(operation(project));
  }

  private ObjectNode branch(String project, String id, String source, boolean isDefault) {
    String name = "projects/" + project + "/branches/" + id;
    if (resources.containsKey(name)) {
      throw FakeError.exists("Branch " + name + " already exists.");
    }
    ObjectNode branch = FakeWorkspace.object().put("name", name).put("branch_id", id).put("parent", "projects/" + project)
        .put("create_time", Instant.now().toString());
    ObjectNode status = branch.putObject("status").put("current_state", "READY").put("default", isDefault);
    if (source != null) {
      status.put("source_branch", source);
    }
    resources.put(name, branch);
    String endpoint = name + "/endpoints/ep-" + id;
    ObjectNode node = FakeWorkspace.object().put("name", endpoint).put("parent", name);
    node.putObject("status").put("endpoint_type", "ENDPOINT_TYPE_READ_WRITE").put("current_state", "ACTIVE")
        .putObject("hosts").put("host", "ep-" + id + "." + project + ".database.example.com");
    resources.put(endpoint, node);
    return branch;
  }

  private static String branchName(Context ctx) {
    return "projects/" + ctx.pathParam("p") + "/branches/" + ctx.pathParam("b");
  }

  private ObjectNode children(String field, String prefix) {
    ObjectNode body = FakeWorkspace.object();
    ArrayNode list = body.putArray(field);
    resources.forEach((name, node) -> {
      if (name.startsWith(prefix) && !name.substring(prefix.length()).contains("/")) {
        list.add(node);
      }
    });
    return body;
  }

  private ObjectNode project(String id) {
    ObjectNode project = projects.get(id);
    if (project == null) {
      throw FakeError.notFound("Project projects/" + id + " does not exist.");
    }
    return project;
  }

  private ObjectNode resource(String name) {
    ObjectNode node = resources.get(name);
    if (node == null) {
      throw FakeError.notFound(name + " does not exist.");
    }
    return node;
  }

  /** A long-running operation, already done, whose response is {@code resource}. */
  private static ObjectNode operation(ObjectNode resource) {
    ObjectNode operation = FakeWorkspace.object().put("name", resource.path("name").asText() + "/operations/" + UUID.randomUUID())
        .put("done", true);
    operation.set("response", resource);
    return operation;
  }
}
