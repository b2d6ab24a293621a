package dev.mason.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.databricks.FakeWorkspace;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mason deploy} against the fake workspace: the Apps and Workspace API calls it makes with
 * the caller's own token, a second run that sends nothing, and the failures as messages that say
 * what to do.
 */
class DeployCommandTest {
  static final String APP = "mason-team";
  static final String ME = "deployer@example.com";
  static final String TOKEN = "deployer-token-5f6e";
  static final String FOLDER = "/Workspace/Users/" + ME + "/apps/" + APP;

  @TempDir
  static Path packageFolder;

  FakeWorkspace workspace;

  record Outcome(int exit, String out, String err) {}

  @BeforeEach
  void start() {
    workspace = FakeWorkspace.start().addUser(TOKEN, ME);
  }

  @AfterEach
  void stop() {
    workspace.close();
  }

  @Test
  void aFirstDeployCreatesTheAppUploadsThePackageAndDeploysItAndASecondSendsNothing() throws Exception {
    Outcome first = deploy(false, APP, "--database", "mason-pg");

    assertThat(first.exit()).as(first.toString()).isZero();
    var created = workspace.requests("/api/2.0/apps").stream().filter(r -> r.method().equals("POST") && r.path().equals("/api/2.0/apps"))
        .toList();
    assertThat(created).hasSize(1);
    JsonNode app = created.getFirst().json();
    assertThat(app.path("name").asText()).isEqualTo(APP);
    assertThat(app.path("resources").get(0).path("database").path("instance_name").asText()).isEqualTo("mason-pg");
    assertThat(app.path("resources").get(0).path("database").path("permission").asText()).isEqualTo("CAN_CONNECT_AND_CREATE");
    assertThat(app.path("user_api_scopes").toString()).contains("serving.serving-endpoints");
    assertThat(workspace.requests()).allSatisfy(r -> assertThat(r.token()).isEqualTo(TOKEN));

    List<Path> files = AppPackage.files(packageFolder);
    long imports = workspace.requests("/api/2.0/workspace/import").size();
    assertThat(imports).as("every file and the manifest").isEqualTo(files.size() + 1);
    assertThat(new String(workspace.workspaceFile(FOLDER + "/app.yaml"), StandardCharsets.UTF_8))
        .isEqualTo(Files.readString(packageFolder.resolve("app.yaml")));
    assertThat(workspace.workspaceFile(FOLDER + "/mason.jar")).isEqualTo(Files.readAllBytes(packageFolder.resolve("mason.jar")));
    var deployments = workspace.requests("/api/2.0/apps/" + APP + "/deployments").stream().filter(r -> r.method().equals("POST")).toList();
    assertThat(deployments).hasSize(1);
    assertThat(deployments.getFirst().json().path("source_code_path").asText()).isEqualTo(FOLDER);
    assertThat(first.out()).contains("SUCCEEDED").contains("Mason is deployed: https://" + APP + "-");

    workspace.clearRequests();
    Outcome second = deploy(false, APP);

    assertThat(second.exit()).as(second.toString()).isZero();
    assertThat(workspace.requests("/api/2.0/workspace/import")).as("a rebuilt package is the same bytes").isEmpty();
    assertThat(workspace.requests("/api/2.0/apps/" + APP + "/deployments")).filteredOn(r -> r.method().equals("POST")).isEmpty();
    assertThat(second.out()).contains("Uploaded 0 files").contains("Nothing changed since the active deployment");

    // Someone ran npm install and made a virtual environment in the folder: the platform installs those itself.
    Files.createDirectories(packageFolder.resolve("node_modules/.bin"));
    Files.writeString(packageFolder.resolve("node_modules/.bin/claude"), "#!/bin/sh\n");
    Files.createDirectories(packageFolder.resolve(".venv/bin"));
    Files.writeString(packageFolder.resolve(".venv/bin/python"), "#!/bin/sh\n");
    workspace.clearRequests();
    Outcome third = deploy(true, APP);

    assertThat(third.exit()).as(third.toString()).isZero();
    assertThat(workspace.requests("/api/2.0/workspace/import")).as("installed folders stay local").isEmpty();
  }

  @Test
  void withoutADatabaseResourceTheDeployStopsSayingHowToAddOne() throws Exception {
    Outcome outcome = deploy(true, APP);

    assertThat(outcome.exit()).isEqualTo(1);
    assertThat(outcome.err()).contains("has no database resource").contains("mason deploy " + APP + " --database INSTANCE");
    assertThat(workspace.requests("/api/2.0/workspace/import")).isEmpty();
  }

  @Test
  void withoutPermissionToCreateAppsTheMessageSaysWhomToAsk() throws Exception {
    workspace.deny(TOKEN, "POST", "/api/2.0/apps");

    Outcome outcome = deploy(true, APP, "--database", "mason-pg");

    assertThat(outcome.exit()).isEqualTo(1);
    assertThat(outcome.err()).contains("you may not create apps in " + workspace.url()).contains("ask a workspace admin");
  }

  @Test
  void refusedOrMissingCredentialsSayHowToLogIn() throws Exception {
    Outcome refused = run(List.of(APP, "--skip-build", "--package", packageFolder.toString()),
        Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", "not-a-token"));
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("not logged in").contains("DATABRICKS_TOKEN").contains("--profile");

    Path config = Files.writeString(packageFolder.getParent().resolve("empty.databrickscfg"), "[DEFAULT]\n");
    Outcome none = run(List.of(APP, "--skip-build", "--package", packageFolder.toString(), "--profile", "nobody"),
        Map.of("DATABRICKS_CONFIG_FILE", config.toString()));
    assertThat(none.exit()).isEqualTo(1);
    assertThat(none.err()).contains("not logged in").contains("profile 'nobody'");
  }

  private Outcome deploy(boolean skipBuild, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--package", packageFolder.toString()));
    if (skipBuild && Files.exists(packageFolder.resolve("app.yaml"))) {
      all.add("--skip-build");
    }
    return run(all, Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", TOKEN));
  }

  private static Outcome run(List<String> args, Map<String, String> env) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int exit = DeployCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Outcome(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
