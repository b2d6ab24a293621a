package dev.mason.deploy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.service.apps.App;
import com.databricks.sdk.service.apps.AppDeployment;
import com.databricks.sdk.service.apps.AppDeploymentMode;
import com.databricks.sdk.service.apps.AppDeploymentState;
import com.databricks.sdk.service.apps.AppResource;
import com.databricks.sdk.service.apps.AppResourceDatabase;
import com.databricks.sdk.service.apps.AppResourceDatabaseDatabasePermission;
import com.databricks.sdk.service.apps.ComputeState;
import com.databricks.sdk.service.apps.CreateAppDeploymentRequest;
import com.databricks.sdk.service.apps.CreateAppRequest;
import com.databricks.sdk.service.apps.UpdateAppRequest;
import com.databricks.sdk.service.iam.MeRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The Apps API side of {@code mason deploy}: the app (created when missing, given its database
 * resource), the upload ({@link WorkspaceUpload}), and the deployment, followed until it ends.
 */
final class AppDeployer {
  /** The user authorization scopes a new app asks its users for: Mason acts as each user with them. */
  static final List<String> USER_API_SCOPES = List.of("sql", "serving.serving-endpoints", "dashboards.genie", "files.files",
      "iam.current-user:read", "iam.access-control:read");
  static final String DATABASE_RESOURCE = "database";
  private static final Duration POLL = Duration.ofSeconds(2);
  private static final Duration COMPUTE_LIMIT = Duration.ofMinutes(20);
  private static final Duration DEPLOYMENT_LIMIT = Duration.ofMinutes(20);

  private final WorkspaceClient client;
  private final PrintStream out;

  AppDeployer(WorkspaceClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  static String notLoggedIn(String profile, String cause) {
    return "not logged in to a Databricks workspace (" + cause + "): set DATABRICKS_HOST and DATABRICKS_TOKEN, or log in with"
        + " `databricks auth login --host https://<workspace>` and pass --profile NAME"
        + (profile == null ? "" : " (profile '" + profile + "' was used)");
  }

  void deploy(DeployCommand.Options options, Path folder) throws IOException {
    String me = call("read who you are", () -> client.currentUser().me(new MeRequest()).getUserName());
    out.println("Deploying as " + me + " to " + client.config().getHost());
    App app = app(options);
    String target = "/Workspace/Users/" + me + "/apps/" + options.app();
    var upload = new WorkspaceUpload(client, out).upload(folder, target);
    AppDeployment active = app.getActiveDeployment();
    boolean unchanged = upload.changed() == 0 && active != null && target.equals(active.getSourceCodePath())
        && active.getStatus() != null && active.getStatus().getState() == AppDeploymentState.SUCCEEDED;
    if (unchanged) {
      out.println("Nothing changed since the active deployment " + active.getDeploymentId() + "; the app is at " + app.getUrl());
      return;
    }
    awaitCompute(options.app());
    AppDeployment started = call("start a deployment of app '" + options.app() + "'", () -> client.apps().deploy(
        new CreateAppDeploymentRequest().setAppName(options.app())
            .setAppDeployment(new AppDeployment().setSourceCodePath(target).setMode(AppDeploymentMode.SNAPSHOT))).getResponse());
    out.println("Deployment " + started.getDeploymentId() + " started");
    follow(options.app(), started.getDeploymentId(), app.getUrl());
  }

  /** The app, created when missing, with its database resource; fails saying how to add one when it has none. */
  private App app(DeployCommand.Options options) {
    App app;
    try {
      app = client.apps().get(options.app());
      out.println("App '" + options.app() + "' exists");
    } catch (DatabricksError e) {
      if (e.getStatusCode() != 404) {
        throw new PackageException(DeployCommand.explain(e, "read app '" + options.app() + "'"));
      }
      App wanted = new App().setName(options.app()).setDescription("Mason: AI coding agents for Databricks")
          .setUserApiScopes(USER_API_SCOPES);
      if (options.database() != null) {
        wanted.setResources(List.of(database(options.database())));
      }
      try {
        app = client.apps().create(new CreateAppRequest().setApp(wanted)).getResponse();
      } catch (DatabricksError create) {
        if (create.getStatusCode() == 403) {
          throw new PackageException("you may not create apps in " + client.config().getHost() + " (" + create.getMessage()
              + "): ask a workspace admin for permission to create Databricks Apps, or deploy to an app you can manage");
        }
        throw new PackageException(DeployCommand.explain(create, "create app '" + options.app() + "'"));
      }
      out.println("Created app '" + options.app() + "' (user authorization scopes: " + String.join(", ", USER_API_SCOPES) + ")");
    }
    if (options.database() != null && !hasDatabase(app)) {
      List<AppResource> resources = new ArrayList<>(Objects.requireNonNullElse(app.getResources(), List.of()));
      resources.add(database(options.database()));
      App updated = app.setResources(resources);
      app = call("add the database resource to app '" + options.app() + "'",
          () -> client.apps().update(new UpdateAppRequest().setName(options.app()).setApp(updated)));
      out.println("Added Lakebase instance '" + options.database() + "' as the app's database resource");
    }
    if (!hasDatabase(app)) {
      throw new PackageException("app '" + options.app() + "' has no database resource, and Mason refuses to start without one:"
          + " run mason deploy " + options.app() + " --database INSTANCE (a Lakebase instance), or add one in the workspace"
          + " (Compute > Apps > " + options.app() + " > Edit > App resources > Database)");
    }
    return app;
  }

  private static AppResource database(String instance) {
    return new AppResource().setName(DATABASE_RESOURCE).setDescription("Mason's PostgreSQL")
        .setDatabase(new AppResourceDatabase().setInstanceName(instance).setDatabaseName("databricks_postgres")
            .setPermission(AppResourceDatabaseDatabasePermission.CAN_CONNECT_AND_CREATE));
  }

  private static boolean hasDatabase(App app) {
    return app.getResources() != null && app.getResources().stream().anyMatch(r -> r.getDatabase() != null || r.getPostgres() != null);
  }

  /** A new app's compute starts before it can take a deployment. */
  private void awaitCompute(String name) {
    Instant deadline = Instant.now().plus(COMPUTE_LIMIT);
    ComputeState last = null;
    while (true) {
      App app = call("read app '" + name + "'", () -> client.apps().get(name));
      ComputeState state = app.getComputeStatus() == null ? null : app.getComputeStatus().getState();
      if (state == ComputeState.ACTIVE) {
        return;
      }
      if (state == ComputeState.STOPPED || state == ComputeState.ERROR) {
        throw new PackageException("app '" + name + "''s compute is " + state + ": start it (Compute > Apps > " + name + " > Start)"
            + " and deploy again");
      }
      if (state != last) {
        out.println("Waiting for the app's compute: " + state);
        last = state;
      }
      pause(deadline, "the app's compute to start");
    }
  }

  private void follow(String name, String deploymentId, String url) {
    Instant deadline = Instant.now().plus(DEPLOYMENT_LIMIT);
    String last = null;
    while (true) {
      AppDeployment deployment = call("read deployment " + deploymentId, () -> client.apps().getDeployment(name, deploymentId));
      AppDeploymentState state = deployment.getStatus() == null ? null : deployment.getStatus().getState();
      String message = deployment.getStatus() == null ? "" : Objects.requireNonNullElse(deployment.getStatus().getMessage(), "");
      String line = state + (message.isEmpty() ? "" : ": " + message);
      if (!line.equals(last)) {
        out.println("  " + line);
        last = line;
      }
      if (state == AppDeploymentState.SUCCEEDED) {
        out.println("Mason is deployed: " + url);
        return;
      }
      if (state == AppDeploymentState.FAILED || state == AppDeploymentState.CANCELLED) {
        throw new PackageException("deployment " + deploymentId + " " + state + ": " + message + "; the app's logs are at "
            + url + "/logz");
      }
      pause(deadline, "deployment " + deploymentId);
    }
  }

  private static void pause(Instant deadline, String what) {
    if (Instant.now().isAfter(deadline)) {
      throw new PackageException("gave up waiting for " + what + " after " + Duration.ofMinutes(20).toMinutes() + " minutes");
    }
    try {
      Thread.sleep(POLL);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PackageException("interrupted while waiting for " + what);
    }
  }

  interface Call<T> {
    T run();
  }

  <T> T call(String doing, Call<T> call) {
    try {
      return call.run();
    } catch (DatabricksError e) {
      throw new PackageException(DeployCommand.explain(e, doing));
    } catch (DatabricksException e) {
      throw new PackageException(doing + " failed: " + e.getMessage());
    }
  }
}
