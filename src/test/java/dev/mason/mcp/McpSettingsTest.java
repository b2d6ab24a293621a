package dev.mason.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.config.SettingsLoader;
import dev.mason.env.ConfigException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** MASON_MAX_TASKS and the public URL, read with the rest of Mason's settings. */
class McpSettingsTest {
  @TempDir
  Path home;

  @Test
  void theDefaultsAreFiveTasksPerUserAndLinksToTheURLTheClientUsed() {
    McpSettings settings = SettingsLoader.load(Map.of("MASON_HOME", home.toString()), List.of()).mcp();
    assertThat(settings).isEqualTo(new McpSettings(5, null));
  }

  @Test
  void masonPublicUrlWinsOverTheAppsUrlWhichGetsAScheme() {
    assertThat(McpSettings.fromEnv(Map.of("MASON_MAX_TASKS", "2", "DATABRICKS_APP_URL", "mason-123.aws.databricksapps.com")))
        .isEqualTo(new McpSettings(2, "https://mason-123.aws.databricksapps.com"));
    assertThat(McpSettings.fromEnv(Map.of("MASON_PUBLIC_URL", "http://localhost:9000/", "DATABRICKS_APP_URL", "x.example.com"))
        .publicUrl()).isEqualTo("http://localhost:9000");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource({"MASON_MAX_TASKS, five", "MASON_MAX_TASKS, 0", "MASON_MAX_TASKS, 101", "MASON_PUBLIC_URL, ftp://files.example.com",
      "MASON_PUBLIC_URL, not a url"})
  void anInvalidValueIsRefusedNamingTheVariable(String variable, String value) {
    assertThatThrownBy(() -> SettingsLoader.load(Map.of("MASON_HOME", home.toString(), variable, value), List.of()))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo(variable));
  }
}
