package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clusters 2.1 (list, get, create, edit, start, delete = terminate, permanent-delete, node types,
 * Spark versions) and Command Execution 1.2 (contexts and commands). A starting cluster is RUNNING
 * by the next get; a command advances one step per status poll (Queued, Running, Finished) and its
 * output is read from the code's {@code print("...")} calls ({@code raise} gives an error result,
 * {@code time.sleep} keeps it running until cancelled).
 */
final class FakeCompute {
  private static final String CLUSTERS = "/api/2.1/clusters";
  private final FakeWorkspace fake;
  private final Map<String, ObjectNode> clusters = new ConcurrentSkipListMap<>();
  private final Map<String, ObjectNode> contexts = new ConcurrentSkipListMap<>();
  private final Map<String, Command> commands = new ConcurrentSkipListMap<>();

  private record Command(String id, String contextId, String language, String code, AtomicInteger polls, AtomicBoolean cancelled) {}

  FakeCompute(FakeWorkspace fake) {
    this.fake = fake;
  }

  ObjectNode addCluster(String id, String name, String state, String creator) {
    ObjectNode cluster = FakeWorkspace.object().put("cluster_id", id).put("cluster_name", name).put("state", state)
        .put("spark_version", "15.4.x-scala2.12").put("node_type_id", "i3.xlarge").put("num_workers", 1)
        .put("autotermination_minutes", 60).put("creator_user_name", creator).put("data_security_mode", "USER_ISOLATION")
        .put("cluster_source", "UI");
    clusters.put(id, cluster);
    return cluster;
  }

  ObjectNode cluster(String id) {
    ObjectNode cluster = clusters.get(id);
    if (cluster == null) {
      throw FakeError.invalid("Cluster " + id + " does not exist");
    }
    return cluster;
  }

  void removeCluster(String id) {
    clusters.remove(id);
  }

  int contextCount() {
    return contexts.size();
  }

  void addTo(RoutesConfig routes) {
    routes.get(CLUSTERS + "/list", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      body.putArray("clusters").addAll(clusters.values());
      ctx.json(body);
    });
    routes.get(CLUSTERS + "/get", ctx -> ctx.json(progress(cluster(ctx.queryParam("cluster_id")))));
    routes.post(CLUSTERS + "/create", this::create);
    routes.post(CLUSTERS + "/edit", ctx -> {
      ObjectNode body = FakeWorkspace.body(ctx);
      ObjectNode cluster = cluster(body.path("cluster_id").asText());
      if (!body.has("spark_version")) {
        throw FakeError.invalid("spark_version is required for edit");
      }
      body.properties().forEach(e -> cluster.set(e.getKey(), e.getValue()));
      ctx.json(FakeWorkspace.object());
    });
    routes.post(CLUSTERS + "/start", ctx -> {
      ObjectNode cluster = cluster(FakeWorkspace.body(ctx).path("cluster_id").asText());
      if (!cluster.path("state").asText().equals("TERMINATED")) {
        throw new FakeError(400, "INVALID_STATE", "Cluster " + cluster.path("cluster_id").asText() + " is in unexpected state "
            + cluster.path("state").asText() + ".");
      }
      cluster.put("state", "PENDING");
      ctx.json(FakeWorkspace.object());
    });
    routes.post(CLUSTERS + "/delete", ctx -> {
      cluster(FakeWorkspace.body(ctx).path("cluster_id").asText()).put("state", "TERMINATED");
      ctx.json(FakeWorkspace.object());
    });
    routes.post(CLUSTERS + "/permanent-delete", ctx -> {
      String id = FakeWorkspace.body(ctx).path("cluster_id").asText();
      cluster(id);
      clusters.remove(id);
      ctx.json(FakeWorkspace.object());
    });
    routes.get(CLUSTERS + "/list-node-types", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      ArrayNode types = body.putArray("node_types");
      types.addObject().put("node_type_id", "m5d.large").put("memory_mb", 8192).put("num_cores", 2.0).put("category", "General Purpose")
          .put("description", "m5d.large").put("is_deprecated", false);
      types.addObject().put("node_type_id", "i3.xlarge").put("memory_mb", 31232).put("num_cores", 4.0).put("category", "Storage Optimized")
          .put("description", "i3.xlarge").put("is_deprecated", false);
      types.addObject().put("node_type_id", "m4.large").put("memory_mb", 8192).put("num_cores", 2.0).put("category", "General Purpose")
          .put("description", "m4.large").put("is_deprecated", true);
      ctx.json(body);
    });
    routes.get(CLUSTERS + "/spark-versions", ctx -> {
      ObjectNode body = FakeWorkspace.object();
      ArrayNode versions = body.putArray("versions");
      versions.addObject().put("key", "15.4.x-scala2.12").put("name", "15.4 LTS (includes Apache Spark 3.5.0, Scala 2.12)");
      versions.addObject().put("key", "16.4.x-scala2.12").put("name", "16.4 LTS (includes Apache Spark 3.5.2, Scala 2.12)");
      versions.addObject().put("key", "16.4.x-cpu-ml-scala2.12").put("name", "16.4 LTS ML (includes Apache Spark 3.5.2, Scala 2.12)");
      versions.addObject().put("key", "17.0.x-scala2.13").put("name", "17.0 (includes Apache Spark 4.0.0, Scala 2.13)");
      ctx.json(body);
    });

    routes.post("/api/1.2/contexts/create", this::createContext);
    routes.get("/api/1.2/contexts/status", ctx -> {
      ObjectNode context = context(ctx.queryParam("contextId"));
      ctx.json(FakeWorkspace.object().put("id", context.path("id").asText()).put("status", "Running"));
    });
    routes.post("/api/1.2/contexts/destroy", ctx -> {
      String id = FakeWorkspace.body(ctx).path("contextId").asText();
      context(id);
      contexts.remove(id);
      ctx.json(FakeWorkspace.object().put("id", id));
    });
    routes.post("/api/1.2/commands/execute", this::execute);
    routes.get("/api/1.2/commands/status", this::commandStatus);
    routes.post("/api/1.2/commands/cancel", ctx -> {
      Command command = command(FakeWorkspace.body(ctx).path("commandId").asText());
      command.cancelled().set(true);
      ctx.json(FakeWorkspace.object().put("id", command.id()));
    });
  }

  /** A cluster that was asked to start is running by the next look. */
  private static ObjectNode progress(ObjectNode cluster) {
    if (cluster.path("state").asText().equals("PENDING")) {
      cluster.put("state", "RUNNING");
      return cluster.deepCopy().put("state", "PENDING");
    }
    return cluster;
  }

  private void create(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    for (String field : new String[] {"spark_version", "cluster_name"}) {
      if (!body.has(field)) {
        throw FakeError.invalid(field + " is required");
      }
    }
    String id = "0101-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    ObjectNode cluster = body.deepCopy().put("cluster_id", id).put("state", "PENDING").put("creator_user_name", fake.user(ctx))
        .put("cluster_source", "API");
    clusters.put(id, cluster);
    ctx.json(FakeWorkspace.object().put("cluster_id", id));
  }

  private ObjectNode context(String id) {
    ObjectNode context = id == null ? null : contexts.get(id);
    if (context == null) {
      throw FakeError.invalid("Context " + id + " does not exist.");
    }
    return context;
  }

  private void createContext(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    ObjectNode cluster = cluster(body.path("clusterId").asText());
    if (!cluster.path("state").asText().equals("RUNNING")) {
      throw FakeError.invalid("Cluster " + cluster.path("cluster_id").asText() + " is not running.");
    }
    String id = Long.toString(Math.abs(UUID.randomUUID().getMostSignificantBits()));
    contexts.put(id, FakeWorkspace.object().put("id", id).put("clusterId", cluster.path("cluster_id").asText())
        .put("language", body.path("language").asText()).put("user", fake.user(ctx)));
    ctx.json(FakeWorkspace.object().put("id", id));
  }

  private void execute(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    ObjectNode context = context(body.path("contextId").asText());
    if (!context.path("user").asText().equals(fake.user(ctx))) {
      throw new FakeError(403, "PERMISSION_DENIED", "Context belongs to another user.");
    }
    String id = UUID.randomUUID().toString().replace("-", "");
    commands.put(id, new Command(id, context.path("id").asText(), body.path("language").asText(), body.path("command").asText(),
        new AtomicInteger(), new AtomicBoolean()));
    ctx.json(FakeWorkspace.object().put("id", id));
  }

  private Command command(String id) {
    Command command = id == null ? null : commands.get(id);
    if (command == null) {
      throw FakeError.invalid("Command " + id + " does not exist.");
    }
    return command;
  }

  private void commandStatus(Context ctx) {
    Command command = command(ctx.queryParam("commandId"));
    int poll = command.polls().incrementAndGet();
    ObjectNode body = FakeWorkspace.object().put("id", command.id());
    if (command.cancelled().get()) {
      body.put("status", "Cancelled");
    } else if (poll == 1) {
      body.put("status", "Queued");
    } else if (poll == 2 || command.code().contains("time.sleep")) {
      body.put("status", "Running");
    } else if (command.code().contains("raise")) {
      body.put("status", "Finished");
      body.putObject("results").put("resultType", "error").put("summary", "<span class='ansi-red-fg'>ValueError</span>: boom")
          .put("cause", "\u001b[0;31mValueError\u001b[0m: boom");
    } else if (command.language().equals("sql")) {
      body.put("status", "Finished");
      ObjectNode results = body.putObject("results").put("resultType", "table").put("truncated", false);
      results.putArray("schema").addObject().put("name", "answer").put("type", "\"integer\"");
      results.putArray("data").addArray().add(42);
    } else {
      body.put("status", "Finished");
      body.putObject("results").put("resultType", "text").put("data", String.join("\n", FakeNotebookRunner.prints(command.code())));
    }
    ctx.json(body);
  }
}
