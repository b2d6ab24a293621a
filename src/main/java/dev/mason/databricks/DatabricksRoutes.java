package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.identity.Caller;
import dev.mason.web.ApiError;
import dev.mason.web.Json;
import dev.mason.web.Requests;
import dev.mason.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The compute pickers of the UI: {@code GET /api/clusters} (a serverless pseudo-entry, then the
 * clusters the caller can use in every state, running ones first) and {@code GET /api/warehouses} (in the order get_best
 * ranks them), and the model picker's {@code GET /api/serving-endpoints} (the endpoints that serve
 * chat, ready ones first). All read the workspace as the caller and are kept five minutes per user.
 */
public final class DatabricksRoutes implements Routes {
  static final int MAX_ENTRIES = 50;
  static final Duration CACHE_TTL = Duration.ofMinutes(5);
  static final String SERVERLESS = "__serverless__";

  private final WorkspaceAccess access;
  private final ExpiringCache<ArrayNode> clusters;
  private final ExpiringCache<ArrayNode> warehouses;
  private final ExpiringCache<ArrayNode> chatEndpoints;

  public DatabricksRoutes(WorkspaceAccess access) {
    this(access, Clock.systemUTC());
  }

  DatabricksRoutes(WorkspaceAccess access, Clock clock) {
    this.access = access;
    this.clusters = new ExpiringCache<>(CACHE_TTL, clock);
    this.warehouses = new ExpiringCache<>(CACHE_TTL, clock);
    this.chatEndpoints = new ExpiringCache<>(CACHE_TTL, clock);
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/api/clusters", ctx -> ctx.json(cached(ctx, clusters, this::clusters)));
    routes.get("/api/warehouses", ctx -> ctx.json(cached(ctx, warehouses, this::warehouses)));
    routes.get("/api/serving-endpoints", ctx -> ctx.json(cached(ctx, chatEndpoints, this::chatEndpoints)));
  }

  private ArrayNode cached(Context ctx, ExpiringCache<ArrayNode> cache, Function<Caller, ArrayNode> read) {
    if (!access.configured()) {
      throw ApiError.badRequest(null, WorkspaceAccess.NO_WORKSPACE);
    }
    Caller caller = Requests.caller(ctx);
    try {
      return cache.get(caller.user(), () -> read.apply(caller));
    } catch (WorkspaceException e) {
      int status = e.status() == 401 ? 401 : e.permissionDenied() ? 403 : 502;
      throw new ApiError(status, "the workspace answered " + e.errorCode() + ": " + e.getMessage(), null);
    }
  }

  private ArrayNode clusters(Caller caller) {
    WorkspaceApi api = access.api(caller);
    ArrayNode list = Json.MAPPER.createArrayNode();
    list.addObject().put("cluster_id", SERVERLESS).put("cluster_name", "Serverless").put("state", "RUNNING")
        .putNull("creator_user_name");
    List<JsonNode> all = api.collect("/api/2.1/clusters/list", Map.of("page_size", 100), "clusters", 1_000);
    // Every state, running first: a stopped cluster can still be picked (execute_code offers to start it).
    Clusters.usable(all, caller.user()).stream()
        .sorted(Comparator.comparing(c -> !c.path("state").asText().equals("RUNNING")))
        .limit(MAX_ENTRIES)
        .forEach(c -> list.addObject().put("cluster_id", c.path("cluster_id").asText())
            .put("cluster_name", c.path("cluster_name").asText()).put("state", c.path("state").asText())
            .put("creator_user_name", c.path("creator_user_name").asText(null)));
    return list;
  }

  /** The serving endpoints whose task is chat (the ones a conversation can use as its model), ready first, then by name. */
  private ArrayNode chatEndpoints(Caller caller) {
    List<JsonNode> all = access.api(caller).collect("/api/2.0/serving-endpoints", Map.of(), "endpoints", 1_000);
    ArrayNode list = Json.MAPPER.createArrayNode();
    all.stream()
        .filter(e -> e.path("task").asText().startsWith("llm/v1/chat"))
        .sorted(Comparator.comparing((JsonNode e) -> !ready(e)).thenComparing(e -> e.path("name").asText()))
        .limit(MAX_ENTRIES)
        .forEach(e -> list.addObject().put("name", e.path("name").asText()).put("task", e.path("task").asText())
            .put("ready", ready(e)));
    return list;
  }

  private static boolean ready(JsonNode endpoint) {
    return endpoint.path("state").path("ready").asText().equals("READY");
  }

  private ArrayNode warehouses(Caller caller) {
    JsonNode all = access.api(caller).get("/api/2.0/sql/warehouses").path("warehouses");
    ArrayNode list = Json.MAPPER.createArrayNode();
    WarehouseRanking.rank(all, caller.user()).stream().limit(MAX_ENTRIES).forEach(w -> {
      ObjectNode entry = list.addObject().put("warehouse_id", w.path("id").asText()).put("warehouse_name", w.path("name").asText())
          .put("state", w.path("state").asText()).put("cluster_size", w.path("cluster_size").asText(null))
          .put("creator_name", w.path("creator_name").asText(null))
          .put("is_serverless", w.path("enable_serverless_compute").asBoolean(false));
      entry.put("shared", WarehouseRanking.shared(w));
    });
    return list;
  }
}
