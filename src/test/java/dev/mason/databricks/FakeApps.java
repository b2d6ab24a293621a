package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Databricks Apps (App, AppDeployment): an app's compute is ACTIVE once created; a deployment of
 * a workspace folder holding app.yaml SUCCEEDS and makes the app RUNNING, one without app.yaml
 * FAILS with the message the platform gives. start and stop move the compute.
 *
 * <p>Thread-safe: state is in concurrent maps.
 */
final class FakeApps {
  private final FakeWorkspace fake;
  final FakeCollection apps;
  private final Map<String, ArrayNode> deployments = new ConcurrentHashMap<>();

  FakeApps(FakeWorkspace fake) {
    this.fake = fake;
    apps = new FakeCollection("/api/2.0/apps", "apps", "name", "App").onCreate((ctx, app) -> {
      String name = app.path("name").asText();
      if (!name.matches("[a-z0-9][a-z0-9-]{1,29}")) {
        throw FakeError.invalid("App name must contain only lowercase alphanumeric characters and hyphens.");
      }
      app.put("id", UUID.randomUUID().toString()).put("url", "https://" + name + "-1234567890.aws.databricksapps.com")
          .put("creator", fake.user(ctx)).put("create_time", Instant.now().toString())
          .put("service_principal_name", "app-" + name).put("service_principal_id", 4242);
      app.putObject("compute_status").put("state", "ACTIVE").put("message", "App compute is running.");
      app.putObject("app_status").put("state", "UNAVAILABLE").put("message", "App has not been deployed yet. Run your app by deploying source code");
    });
  }

  void addTo(RoutesConfig routes) {
    apps.addTo(routes);
    routes.post(apps.path + "/{key}/deployments", ctx -> {
      ObjectNode app = apps.get(ctx.pathParam("key"));
      ObjectNode request = FakeWorkspace.body(ctx);
      String source = request.path("source_code_path").asText();
      boolean hasConfig = fake.tree.node(source + "/app.yaml") != null;
      if (fake.tree.node(source) == null) {
        throw FakeError.notFound("Source code path " + source + " does not exist.");
      }
      ObjectNode deployment = request.deepCopy().put("deployment_id", UUID.randomUUID().toString().replace("-", ""))
          .put("creator", fake.user(ctx)).put("create_time", Instant.now().toString()).put("mode", request.path("mode").asText("SNAPSHOT"));
      deployment.putObject("status").put("state", hasConfig ? "SUCCEEDED" : "FAILED")
          .put("message", hasConfig ? "App started successfully" : "Error: app.yaml not found in " + source);
      deployments.computeIfAbsent(ctx.pathParam("key"), k -> FakeWorkspace.object().arrayNode()).insert(0, deployment);
      if (hasConfig) {
        app.set("active_deployment", deployment);
        app.putObject("app_status").put("state", "RUNNING").put("message", "App is running");
      }
      ctx.json(deployment);
    });
    routes.get(apps.path + "/{key}/deployments", ctx -> {
      apps.get(ctx.pathParam("key"));
      ObjectNode body = FakeWorkspace.object();
      body.set("app_deployments", deployments.getOrDefault(ctx.pathParam("key"), FakeWorkspace.object().arrayNode()));
      ctx.json(body);
    });
    routes.get(apps.path + "/{key}/deployments/{id}", ctx -> {
      apps.get(ctx.pathParam("key"));
      for (var deployment : deployments.getOrDefault(ctx.pathParam("key"), FakeWorkspace.object().arrayNode())) {
        if (deployment.path("deployment_id").asText().equals(ctx.pathParam("id"))) {
          ctx.json(deployment);
          return;
        }
      }
      throw FakeError.notFound("Deployment " + ctx.pathParam("id") + " does not exist.");
    });
    for (String action : new String[] {"start", "stop"}) {
      routes.post(apps.path + "/{key}/" + action, ctx -> {
        ObjectNode app = apps.get(ctx.pathParam("key"));
        app.putObject("compute_status").put("state", action.equals("start") ? "ACTIVE" : "STOPPED")
            .put("message", action.equals("start") ? "App compute is running." : "App compute is stopped.");
        ctx.json(app);
      });
    }
  }
}
