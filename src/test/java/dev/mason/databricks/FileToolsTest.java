package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FileToolsTest {
  static FakeWorkspace fake;
  static ToolTesting tools;
  static final Caller ALICE = ToolTesting.caller("alice@example.com", "alice-token");
  static final String HOME = "/Workspace/Users/alice@example.com";

  @BeforeAll
  static void start() throws Exception {
    fake = FakeWorkspace.start().addUser("alice-token", "alice@example.com").addUser("mason-token", "mason-sp");
    tools = new ToolTesting(fake, ToolTesting.fastPolls());
    Path project = tools.projectFolder;
    Files.createDirectories(project.resolve("pipelines/sql"));
    Files.writeString(project.resolve("pipelines/bronze.py"), "# Databricks notebook source\nprint('bronze')\n");
    Files.writeString(project.resolve("pipelines/sql/silver.sql"), "SELECT 1\n");
    Files.writeString(project.resolve("pipelines/sql/gold.sql"), "SELECT 2\n");
    Files.writeString(project.resolve("README.md"), "# readme\n");
    Files.createDirectories(project.resolve(".mason"));
    Files.writeString(project.resolve(".mason/secret.txt"), "not for upload\n");
    Files.createDirectories(project.resolve("data"));
    Files.writeString(project.resolve("data/sales 2024.csv"), "id,amount\n1,10\n");
    tools.ok(ALICE, "manage_uc_objects", "{\"action\": \"create\", \"object_type\": \"volume\", \"catalog_name\": \"main\", "
        + "\"schema_name\": \"default\", \"name\": \"raw\"}");
  }

  @AfterAll
  static void stop() {
    fake.close();
  }

  @BeforeEach
  void clear() {
    fake.clearRequests();
  }

  @Test
  void aFileAFolderAndAGlobAreUploadedWithTheirRelativePaths() {
    tools.ok(ALICE, "manage_workspace_files", "{\"action\": \"upload\", \"local_path\": \"README.md\", \"workspace_path\": \"" + HOME + "/p1/README.md\"}");
    assertThat(fake.tree.text(HOME + "/p1/README.md")).isEqualTo("# readme\n");

    JsonNode folder = ToolTesting.json(tools.ok(ALICE, "manage_workspace_files",
        "{\"action\": \"upload\", \"local_path\": \"pipelines\", \"workspace_path\": \"" + HOME + "/p2\"}"));
    assertThat(folder.path("uploaded_count").asInt()).isEqualTo(3);
    assertThat(fake.tree.node(HOME + "/p2/bronze").type()).as("a notebook source file becomes a notebook").isEqualTo("NOTEBOOK");
    assertThat(fake.tree.text(HOME + "/p2/sql/silver.sql")).isEqualTo("SELECT 1\n");

    tools.ok(ALICE, "manage_workspace_files", "{\"action\": \"upload\", \"local_path\": \"pipelines/sql/*.sql\", \"workspace_path\": \"" + HOME + "/p3\"}");
    assertThat(fake.tree.text(HOME + "/p3/gold.sql")).isEqualTo("SELECT 2\n");
    assertThat(fake.tree.node(HOME + "/p3/bronze")).isNull();

    tools.ok(ALICE, "manage_workspace_files", "{\"action\": \"upload\", \"local_path\": \".\", \"workspace_path\": \"" + HOME + "/p4\"}");
    assertThat(fake.tree.node(HOME + "/p4/README.md")).isNotNull();
    assertThat(fake.tree.node(HOME + "/p4/.mason/secret.txt")).as("Mason's own folder is not uploaded").isNull();

    JsonNode listed = ToolTesting.json(tools.ok(ALICE, "manage_workspace_files", "{\"action\": \"list\", \"workspace_path\": \"" + HOME + "/p2\"}"));
    assertThat(listed.path("objects").findValuesAsText("path")).contains("/Users/alice@example.com/p2/bronze");
    assertThat(fake.requests()).isNotEmpty().allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void aFolderIsDeletedOnlyRecursivelyWhenItHasContents() {
    tools.ok(ALICE, "manage_workspace_files", "{\"action\": \"upload\", \"local_path\": \"pipelines\", \"workspace_path\": \"" + HOME + "/gone\"}");
    ToolResult plain = tools.call(ALICE, "manage_workspace_files", "{\"action\": \"delete\", \"workspace_path\": \"" + HOME + "/gone\"}");
    assertThat(plain.isError()).isTrue();
    assertThat(plain.content()).contains("DIRECTORY_NOT_EMPTY");
    tools.ok(ALICE, "manage_workspace_files", "{\"action\": \"delete\", \"workspace_path\": \"" + HOME + "/gone\", \"recursive\": true}");
    assertThat(fake.tree.node(HOME + "/gone")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/Workspace", "/Workspace/Users", "/Workspace/Shared", "/Users/", "/Workspace/Users/alice@example.com",
      "/Users/bob@example.com", "/Repos/alice@example.com", "/Repos/alice@example.com/my-repo", "/Workspace/Repos"})
  void protectedPathsAreRefusedBeforeAnythingIsSent(String path) {
    ToolResult delete = tools.call(ALICE, "manage_workspace_files", "{\"action\": \"delete\", \"workspace_path\": \"" + path + "\", \"recursive\": true}");
    assertThat(delete.isError()).isTrue();
    assertThat(delete.content()).startsWith("refusing to delete");
    ToolResult upload = tools.call(ALICE, "manage_workspace_files", "{\"action\": \"upload\", \"local_path\": \"README.md\", \"workspace_path\": \"" + path + "\"}");
    assertThat(upload.isError()).isTrue();
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void localPathsOutsideTheProjectAreRefused() throws Exception {
    Path outside = Files.createTempFile(tools.projectFolder.getParent(), "outside", ".txt");
    Files.createSymbolicLink(tools.projectFolder.resolve("link-out"), outside);
    for (String local : new String[] {"../" + outside.getFileName(), outside.toString(), "link-out"}) {
      ToolResult result = tools.call(ALICE, "manage_workspace_files",
          "{\"action\": \"upload\", \"local_path\": \"" + local + "\", \"workspace_path\": \"" + HOME + "/x/f.txt\"}");
      assertThat(result.isError()).as(local).isTrue();
      assertThat(result.content()).contains("outside the project folder");
    }
    ToolResult download = tools.call(ALICE, "manage_volume_files",
        "{\"action\": \"download\", \"volume_path\": \"/Volumes/main/default/raw/a.csv\", \"local_path\": \"../stolen.csv\"}");
    assertThat(download.content()).contains("outside the project folder");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void aPlantedHardLinkToAFileOutsideIsNeitherUploadedNorDownloadedOnto() throws Exception {
    Path outside = Files.createTempFile(tools.projectFolder.getParent(), "outside", ".txt");
    Files.writeString(outside, "outside the project\n");
    Path linked = Files.createDirectories(tools.projectFolder.resolve("linked"));
    Files.createLink(linked.resolve("planted.txt"), outside);
    try {
      for (String local : new String[] {"linked/planted.txt", "linked", "linked/*.txt"}) {
        ToolResult upload = tools.call(ALICE, "manage_volume_files",
            "{\"action\": \"upload\", \"local_path\": \"" + local + "\", \"volume_path\": \"/Volumes/main/default/raw/x\"}");
        assertThat(upload.isError()).as(local).isTrue();
        assertThat(upload.content()).as(local).contains("hard link");
      }
      ToolResult execute = tools.call(ALICE, "execute_code", "{\"file_path\": \"linked/planted.txt\"}");
      assertThat(execute.content()).contains("hard link");
      ToolResult download = tools.call(ALICE, "manage_volume_files",
          "{\"action\": \"download\", \"volume_path\": \"/Volumes/main/default/raw/a.csv\", \"local_path\": \"linked/planted.txt\"}");
      assertThat(download.content()).contains("hard link");
      assertThat(fake.requests()).isEmpty();
      assertThat(Files.readString(outside)).isEqualTo("outside the project\n");
    } finally {
      Files.delete(linked.resolve("planted.txt"));
      Files.delete(linked);
    }
  }

  @Test
  void volumeFilesGoUpAndComeBackDownIntoTheProject() throws Exception {
    JsonNode up = ToolTesting.json(tools.ok(ALICE, "manage_volume_files",
        "{\"action\": \"upload\", \"local_path\": \"data\", \"volume_path\": \"/Volumes/main/default/raw/landing\"}"));
    assertThat(up.path("uploaded").get(0).path("volume_path").asText()).isEqualTo("/Volumes/main/default/raw/landing/sales 2024.csv");
    assertThat(new String(fake.volumes.file("/Volumes/main/default/raw/landing/sales 2024.csv"), StandardCharsets.UTF_8)).startsWith("id,amount");

    JsonNode listed = ToolTesting.json(tools.ok(ALICE, "manage_volume_files", "{\"action\": \"list\", \"volume_path\": \"/Volumes/main/default/raw/landing\"}"));
    assertThat(listed.path("entries").get(0).path("size").asLong()).isEqualTo(15);

    JsonNode info = ToolTesting.json(tools.ok(ALICE, "manage_volume_files",
        "{\"action\": \"get_info\", \"volume_path\": \"/Volumes/main/default/raw/landing/sales 2024.csv\"}"));
    assertThat(info.path("size").asLong()).isEqualTo(15);
    assertThat(info.path("is_directory").asBoolean()).isFalse();
    assertThat(ToolTesting.json(tools.ok(ALICE, "manage_volume_files", "{\"action\": \"get_info\", \"volume_path\": \"/Volumes/main/default/raw/landing\"}"))
        .path("is_directory").asBoolean()).isTrue();

    JsonNode down = ToolTesting.json(tools.ok(ALICE, "manage_volume_files",
        "{\"action\": \"download\", \"volume_path\": \"/Volumes/main/default/raw/landing/sales 2024.csv\", \"local_path\": \"downloads/copy.csv\"}"));
    assertThat(down.path("local_path").asText()).isEqualTo("downloads/copy.csv");
    assertThat(Files.readString(tools.projectFolder.resolve("downloads/copy.csv"))).isEqualTo("id,amount\n1,10\n");
    assertThat(fake.requests()).allMatch(r -> "alice-token".equals(r.token()));
  }

  @Test
  void volumeFoldersAreMadeAndDeletedRecursivelyButAVolumeRootIsKept() {
    tools.ok(ALICE, "manage_volume_files", "{\"action\": \"mkdir\", \"volume_path\": \"/Volumes/main/default/raw/tmp/a/b\"}");
    tools.ok(ALICE, "manage_volume_files", "{\"action\": \"upload\", \"local_path\": \"README.md\", \"volume_path\": \"/Volumes/main/default/raw/tmp/a/b/README.md\"}");
    ToolResult notEmpty = tools.call(ALICE, "manage_volume_files", "{\"action\": \"delete\", \"volume_path\": \"/Volumes/main/default/raw/tmp\"}");
    assertThat(notEmpty.isError()).isTrue();
    JsonNode deleted = ToolTesting.json(tools.ok(ALICE, "manage_volume_files",
        "{\"action\": \"delete\", \"volume_path\": \"/Volumes/main/default/raw/tmp\", \"recursive\": true}"));
    assertThat(deleted.path("files_deleted").asInt()).isEqualTo(1);
    assertThat(fake.volumes.file("/Volumes/main/default/raw/tmp/a/b/README.md")).isNull();

    ToolResult root = tools.call(ALICE, "manage_volume_files", "{\"action\": \"delete\", \"volume_path\": \"/Volumes/main/default/raw\", \"recursive\": true}");
    assertThat(root.content()).contains("refusing to delete the volume's root");
    ToolResult notVolume = tools.call(ALICE, "manage_volume_files", "{\"action\": \"list\", \"volume_path\": \"/tmp\"}");
    assertThat(notVolume.content()).contains("must look like /Volumes/");
  }
}
