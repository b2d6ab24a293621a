package dev.mason.databricks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.Tool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ToolDocsTest {
  private static final Path DOCS = Path.of("docs/tools.md");
  private static final List<Tool> TOOLS =
      new DatabricksTools(new WorkspaceAccess(new WorkspaceSettings(null, null)), ToolSettings.defaults()).all();

  @Test
  void docsToolsMdDescribesTheToolsAsTheCodeDefinesThem() throws Exception {
    String rendered = ToolDocs.render(TOOLS);
    if (Boolean.getBoolean("mason.updateDocs")) {
      Files.writeString(DOCS, rendered);
    }
    assertThat(Files.exists(DOCS) ? Files.readString(DOCS) : "")
        .as("docs/tools.md is stale; regenerate it with ./mvnw test -Dtest=ToolDocsTest -Dmason.updateDocs=true")
        .isEqualTo(rendered);
  }

  @Test
  void everyToolHasAUniqueNameADescriptionAndACompleteSchema() {
    Set<String> names = new HashSet<>();
    for (Tool tool : TOOLS) {
      assertThat(names.add(tool.name())).as("unique name " + tool.name()).isTrue();
      assertThat(tool.name()).matches("[a-z_]+");
      assertThat(tool.description()).as(tool.name()).hasSizeGreaterThan(60);
      JsonNode schema = tool.inputSchema();
      assertThat(schema.path("type").asText()).isEqualTo("object");
      assertThat(schema.path("required").isArray()).as(tool.name() + " lists its required arguments").isTrue();
      schema.path("required").forEach(r -> assertThat(schema.path("properties").has(r.asText())).as(tool.name() + " " + r).isTrue());
      schema.path("properties").properties().forEach(e -> {
        JsonNode type = e.getValue().path("type");
        assertThat(type.isArray() ? type.size() : type.asText().length()).as(tool.name() + "." + e.getKey() + " has a type").isPositive();
        assertThat(e.getValue().path("description").asText()).as(tool.name() + "." + e.getKey()).isNotEmpty();
      });
      if (tool.name().startsWith("manage_")) {
        assertThat(schema.path("properties").path("action").path("enum")).as(tool.name() + " action enum").isNotEmpty();
        assertThat(schema.path("required").toString()).contains("\"action\"");
      }
    }
    assertThat(names).contains("execute_sql", "execute_sql_multi", "get_table_stats_and_schema", "manage_warehouse",
        "list_compute", "execute_code", "manage_cluster", "manage_jobs", "manage_job_runs", "manage_pipeline",
        "manage_pipeline_run", "manage_workspace_files", "manage_volume_files", "manage_uc_objects", "manage_uc_grants",
        "get_current_user", "ask_genie", "manage_serving_endpoint", "check_operation_status", "list_operations",
        "list_tracked_resources", "delete_tracked_resource",
        // The rest of the reference's 44, by its names, so that prompts and skills written for it work.
        "get_volume_folder_details", "manage_sql_warehouse", "manage_uc_storage", "manage_uc_connections", "manage_uc_tags",
        "manage_uc_security_policies", "manage_uc_monitors", "manage_uc_sharing", "manage_metric_views", "manage_dashboard",
        "manage_genie", "manage_ka", "manage_mas", "manage_vs_endpoint", "manage_vs_index", "query_vs_index", "manage_vs_data",
        "manage_lakebase_database", "manage_lakebase_branch", "manage_lakebase_sync", "generate_lakebase_credential", "manage_app");
    assertThat(names).as("the reference's 44 tools").hasSize(44);
  }

  @Test
  void everyActionThatDestroysSaysSoInCapitalsInItsToolsDescription() {
    for (Tool tool : TOOLS) {
      List<String> destroying = new java.util.ArrayList<>();
      tool.inputSchema().path("properties").path("action").path("enum").forEach(a -> {
        if (a.asText().matches("(delete|drop|remove|unset).*")) {
          destroying.add(a.asText());
        }
      });
      if (!destroying.isEmpty()) {
        assertThat(tool.description()).as(tool.name() + " has " + destroying).containsAnyOf("DESTROY", "REMOVE");
        assertThat(tool.readOnly()).as(tool.name()).isFalse();
      }
    }
  }

  @Test
  void aSchemaHandedOutCannotChangeTheTool() {
    Tool tool = TOOLS.getFirst();
    tool.inputSchema().put("type", "changed");
    assertThat(tool.inputSchema().path("type").asText()).isEqualTo("object");
  }
}
