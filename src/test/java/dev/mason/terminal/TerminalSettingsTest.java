package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.env.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TerminalSettingsTest {

  @Test
  void defaultsFollowTheReferenceAndTheShellStartsInProjectsUnderHome() {
    TerminalSettings settings = TerminalSettings.fromEnv(Map.of("HOME", "/home/ada", "PATH", "/usr/bin"));
    assertThat(settings.maxSessions()).isEqualTo(10);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.ringBytes()).isEqualTo(1024 * 1024);
    assertThat(settings.workingDirectory()).isEqualTo(Path.of("/home/ada/projects"));
    assertThat(settings.appOwner()).isNull();
    assertThat(settings.shellEnvironment()).containsEntry("PATH", "/usr/bin");
    assertThat(settings.floodNice()).isEqualTo(19);
  }

  @Test
  void everyVariableIsReadAndTheOwnerComparedInLowerCase() {
    TerminalSettings settings = TerminalSettings.fromEnv(Map.of(
        "HOME", "/home/ada", "MAX_CONCURRENT_SESSIONS", "3", "TERMINAL_IDLE_TIMEOUT_SECONDS", "60",
        "TERMINAL_RING_BYTES", "65536", "TERMINAL_CWD", "/srv/work", "APP_OWNER", " Ada@Example.com ",
        "TERMINAL_ALLOWED_ORIGINS", "https://a.example.com/, https://B.example.com", "TERMINAL_READER_LEASE_SECONDS", "5",
        "TERMINAL_FLOOD_NICE", "0"));
    assertThat(settings.maxSessions()).isEqualTo(3);
    assertThat(settings.idleTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.ringBytes()).isEqualTo(65536);
    assertThat(settings.workingDirectory()).isEqualTo(Path.of("/srv/work"));
    assertThat(settings.appOwner()).isEqualTo("ada@example.com");
    assertThat(settings.allowedOrigins()).containsExactly("https://a.example.com", "https://b.example.com");
    assertThat(settings.readerLease()).isEqualTo(Duration.ofSeconds(5));
    assertThat(settings.floodNice()).isZero();
  }

  @Test
  void aBrokenValueIsRefusedNamingTheVariableAndTheRule() {
    assertThatThrownBy(() -> TerminalSettings.fromEnv(Map.of("MAX_CONCURRENT_SESSIONS", "ten")))
        .isInstanceOf(ConfigException.class).hasMessage("MAX_CONCURRENT_SESSIONS must be a whole number, was 'ten'");
    assertThatThrownBy(() -> TerminalSettings.fromEnv(Map.of("MAX_CONCURRENT_SESSIONS", "0")))
        .hasMessage("MAX_CONCURRENT_SESSIONS must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> TerminalSettings.fromEnv(Map.of("TERMINAL_RING_BYTES", "1000")))
        .hasMessageStartingWith("TERMINAL_RING_BYTES must be between 65536 and");
    assertThatThrownBy(() -> TerminalSettings.fromEnv(Map.of("TERMINAL_ALLOWED_ORIGINS", "example.com")))
        .hasMessageStartingWith("TERMINAL_ALLOWED_ORIGINS must list origins");
    assertThatThrownBy(() -> TerminalSettings.fromEnv(Map.of("TERMINAL_FLOOD_NICE", "20")))
        .hasMessage("TERMINAL_FLOOD_NICE must be between 0 and 19, was 20");
  }

  @Test
  void masonsSecretsNeverReachTheShell() {
    Map<String, String> env = TerminalSettings.fromEnv(Map.ofEntries(
        Map.entry("DATABRICKS_TOKEN", "x"), Map.entry("DATABRICKS_CLIENT_SECRET", "x"), Map.entry("OPENAI_API_KEY", "x"),
        Map.entry("ANTHROPIC_AUTH_TOKEN", "x"), Map.entry("WEBHOOK_SECRET", "x"), Map.entry("DB_PASSWORD_FILE", "x"),
        Map.entry("MASON_DATABASE_URL", "x"), Map.entry("LAKEBASE_PG_URL", "x"), Map.entry("PGPASSWORD", "x"),
        Map.entry("PGHOST", "x"), Map.entry("DATABRICKS_HOST", "https://w.example.com"), Map.entry("LANG", "C.UTF-8")))
        .shellEnvironment();
    assertThat(env).containsOnlyKeys("DATABRICKS_HOST", "LANG");
  }

  @Test
  void theSettingsPrintWithoutTheEnvironment() {
    TerminalSettings settings = TerminalSettings.fromEnv(Map.of("SOME_VARIABLE", "a-value-that-is-private"));
    assertThat(settings.toString()).doesNotContain("a-value-that-is-private").contains("variables");
  }
}
