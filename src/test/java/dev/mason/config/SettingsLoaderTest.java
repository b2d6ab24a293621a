package dev.mason.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.agent.tool.BashMode;
import dev.mason.env.ConfigException;
import dev.mason.env.SecretVariables;
import dev.mason.store.DatabaseSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SettingsLoaderTest {
  @TempDir
  Path home;

  private Settings load(Map<String, String> env, String... args) {
    Map<String, String> withHome = new HashMap<>(env);
    withHome.putIfAbsent("MASON_HOME", home.toString());
    return SettingsLoader.load(withHome, List.of(args));
  }

  static Stream<Arguments> invalidValues() {
    return Stream.of(
        Arguments.of("PORT", "eighty", "PORT"),
        Arguments.of("PORT", "70000", "PORT"),
        Arguments.of("PORT", "-1", "PORT"),
        Arguments.of("DATABRICKS_APP_PORT", "abc", "DATABRICKS_APP_PORT"),
        Arguments.of("DATABRICKS_APP_PORT", "65536", "DATABRICKS_APP_PORT"),
        Arguments.of("MASON_TRUST_FORWARDED_HEADERS", "maybe", "MASON_TRUST_FORWARDED_HEADERS"),
        Arguments.of("BACKUP_INTERVAL_SECONDS", "0", "BACKUP_INTERVAL_SECONDS"),
        Arguments.of("BACKUP_INTERVAL_SECONDS", "ten", "BACKUP_INTERVAL_SECONDS"),
        Arguments.of("BACKUP_INTERVAL_SECONDS", "99999999999", "BACKUP_INTERVAL_SECONDS"),
        Arguments.of("MASON_MAX_BACKUP_BYTES", "0", "MASON_MAX_BACKUP_BYTES"),
        Arguments.of("MASON_MAX_BACKUP_BYTES", "1G", "MASON_MAX_BACKUP_BYTES"),
        Arguments.of("DB_POOL_SIZE", "0", "DB_POOL_SIZE"),
        Arguments.of("MASON_DATABASE_SCHEMA", "Robert'); DROP TABLE", "MASON_DATABASE_SCHEMA"),
        Arguments.of("MASON_DATABASE_URL", "mysql://u:p@host/db", "MASON_DATABASE_URL"),
        Arguments.of("MASON_DATABASE_URL", "postgresql://u:p@/db", "MASON_DATABASE_URL"),
        Arguments.of("MASON_DATABASE_URL", "postgresql://u:p@host:5432", "MASON_DATABASE_URL"),
        Arguments.of("MASON_DATABASE_URL", "postgresql://u:p@host:5432/db with space", "MASON_DATABASE_URL"),
        Arguments.of("LAKEBASE_PG_URL", "not a url at all", "LAKEBASE_PG_URL"),
        Arguments.of("LAKEBASE_INSTANCE_NAME", "my-instance", "LAKEBASE_DATABASE_NAME"),
        Arguments.of("PGPORT", "five", "PGPORT"),
        Arguments.of("PAT_TOKEN_LIFETIME", "soon", "PAT_TOKEN_LIFETIME"),
        Arguments.of("PAT_TOKEN_LIFETIME", "0.5", "PAT_TOKEN_LIFETIME"),
        Arguments.of("PAT_ROTATION_INTERVAL", "900", "PAT_ROTATION_INTERVAL"),
        Arguments.of("PAT_ROTATION_INTERVAL", "0.0001", "PAT_ROTATION_INTERVAL"),
        Arguments.of("MLFLOW_TRACKING_URI", "ftp://mlflow.example.com", "MLFLOW_TRACKING_URI"),
        Arguments.of("MLFLOW_TRACKING_URI", "databricks", "MLFLOW_TRACKING_URI"),
        Arguments.of("MLFLOW_TRACING_ENABLED", "sometimes", "MLFLOW_TRACING_ENABLED"),
        Arguments.of("MLFLOW_TRACING_UC_TABLE", "just_a_table", "MLFLOW_TRACING_UC_TABLE"),
        Arguments.of("MASON_TRACE_QUEUE_SIZE", "3", "MASON_TRACE_QUEUE_SIZE"),
        Arguments.of("MASON_TRACE_TURN_GAP", "0", "MASON_TRACE_TURN_GAP"),
        Arguments.of("MASON_AI_GATEWAY_TEMPLATE", "https://gateway.example.com", "MASON_AI_GATEWAY_TEMPLATE"));
  }

  @Test
  void tracingIsOnWithATrackingUriUnlessTurnedOffAndItsTokenIsNeverPrinted() {
    assertThat(load(Map.of()).tracing().active()).as("no MLFLOW_TRACKING_URI").isFalse();
    var tracing = load(Map.of("MLFLOW_TRACKING_URI", "https://mlflow.example.com/", "MLFLOW_TRACKING_TOKEN", "mlflow-secret-123",
        "DATABRICKS_APP_NAME", "builder")).tracing();
    assertThat(tracing.active()).isTrue();
    assertThat(tracing.trackingUri()).isEqualTo("https://mlflow.example.com");
    assertThat(tracing.appName()).isEqualTo("builder");
    assertThat(tracing.toString()).doesNotContain("mlflow-secret-123");
    assertThat(load(Map.of("MLFLOW_TRACKING_URI", "databricks", "DATABRICKS_HOST", "dbc-1.cloud.databricks.com",
        "MLFLOW_TRACING_ENABLED", "false")).tracing().active()).isFalse();
  }

  @ParameterizedTest(name = "{0}={1}")
  @MethodSource("invalidValues")
  void anInvalidValueIsRefusedNamingTheVariable(String variable, String value, String named) {
    Map<String, String> env = new HashMap<>(Map.of(variable, value));
    if (variable.equals("PGPORT")) {
      env.put("PGHOST", "db.example.com");
    }

    assertThatThrownBy(() -> load(env))
        .isInstanceOfSatisfying(ConfigException.class, e -> {
          assertThat(e.variable()).isEqualTo(named);
          assertThat(e.getMessage()).startsWith(named + " ");
        });
  }

  @Test
  void aBadDatabaseUrlIsReportedWithoutItsPassword() {
    assertThatThrownBy(() -> load(Map.of("MASON_DATABASE_URL", "mysql://admin:hunter2@db.example.com/app")))
        .isInstanceOf(ConfigException.class)
        .message().doesNotContain("hunter2");
    assertThatThrownBy(() -> load(Map.of("MASON_DATABASE_URL", "postgresql://admin:hunter2@db.example.com:5432/a b")))
        .isInstanceOf(ConfigException.class)
        .message().doesNotContain("hunter2");
  }

  @Test
  void theDefaultsAreAPortOf8000LoopbackAndEmbeddedPostgresUnderTheHome() {
    Settings settings = load(Map.of());

    assertThat(settings.server().port()).isEqualTo(8000);
    assertThat(settings.server().bindAddress()).isEqualTo("127.0.0.1");
    assertThat(settings.server().trustForwardedHeaders()).isFalse();
    assertThat(settings.database().target()).isEqualTo(new DatabaseSettings.Embedded(home.resolve("pg")));
    assertThat(settings.backup().maxBytes()).as("1 GiB").isEqualTo(1L << 30);
    assertThat(settings.database().schema()).isEqualTo("mason");
    assertThat(settings.storage().projectsDir()).isEqualTo(home.resolve("projects"));
    assertThat(settings.backup().interval()).isEqualTo(Duration.ofSeconds(600));
  }

  @Test
  void tokenRotationDefaultsToTenMinutesForFifteenMinuteTokensAndTakesFractions() {
    assertThat(load(Map.of()).credentials().rotationInterval()).isEqualTo(java.time.Duration.ofSeconds(600));
    assertThat(load(Map.of()).credentials().tokenLifetime()).isEqualTo(java.time.Duration.ofSeconds(900));
    assertThat(load(Map.of("PAT_ROTATION_INTERVAL", "0.25", "PAT_TOKEN_LIFETIME", "2")).credentials().rotationInterval())
        .isEqualTo(java.time.Duration.ofMillis(250));
    assertThat(load(Map.of("DATABRICKS_GATEWAY_HOST", "gw.example.com/")).gateway().aiGatewayHost()).isEqualTo("https://gw.example.com");
  }

  @Test
  void claudeCodeIdleDefaultsToTenMinutesAndRefusesValuesOutOfRange() {
    assertThat(load(Map.of()).agent().claudeCodeIdle()).isEqualTo(java.time.Duration.ofMinutes(10));
    assertThat(load(Map.of("MASON_CLAUDE_CODE_IDLE_SECONDS", "90")).agent().claudeCodeIdle()).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThatThrownBy(() -> load(Map.of("MASON_CLAUDE_CODE_IDLE_SECONDS", "1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("MASON_CLAUDE_CODE_IDLE_SECONDS").hasMessageContaining("between 5 and 86400");
    assertThatThrownBy(() -> load(Map.of("MASON_CLAUDE_CODE_IDLE_SECONDS", "soon")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("MASON_CLAUDE_CODE_IDLE_SECONDS");
  }

  @Test
  void portComesFromDatabricksAppPortThenPort() {
    assertThat(load(Map.of("PORT", "9000")).server().port()).isEqualTo(9000);
    assertThat(load(Map.of("PORT", "9000", "DATABRICKS_APP_PORT", "8080")).server().port()).isEqualTo(8080);
  }

  @Test
  void thePortFlagWinsOverBothVariables() {
    Settings settings = load(Map.of("PORT", "9000", "DATABRICKS_APP_PORT", "8080"), "--port", "0");

    assertThat(settings.server().port()).isZero();
    assertThat(load(Map.of(), "--home=" + home.resolve("other")).storage().home()).isEqualTo(home.resolve("other"));
  }

  @Test
  void forwardedHeadersAreTrustedByDefaultOnlyOnDatabricksApps() {
    Settings onApps = load(Map.of("DATABRICKS_APP_PORT", "8000"));
    assertThat(onApps.server().trustForwardedHeaders()).isTrue();
    assertThat(onApps.server().bindAddress()).isEqualTo("0.0.0.0");

    assertThat(load(Map.of()).server().trustForwardedHeaders()).isFalse();
    assertThat(load(Map.of("DATABRICKS_APP_PORT", "8000", "MASON_TRUST_FORWARDED_HEADERS", "false")).server().trustForwardedHeaders()).isFalse();
    assertThat(load(Map.of("MASON_TRUST_FORWARDED_HEADERS", "TRUE")).server().trustForwardedHeaders()).isTrue();
  }

  @Test
  void bashRunsOnTheHostForALocalMasonsOwnUserAndInTheSandboxWhenOthersCanReachIt() {
    assertThat(load(Map.of()).bash()).isEqualTo(BashMode.AUTO);
    assertThat(load(Map.of("DATABRICKS_APP_NAME", "team")).bash()).isEqualTo(BashMode.SANDBOX);
    assertThat(load(Map.of("MASON_TRUST_FORWARDED_HEADERS", "true")).bash()).isEqualTo(BashMode.SANDBOX);
    assertThat(load(Map.of("MASON_BIND_ADDRESS", "0.0.0.0")).bash()).isEqualTo(BashMode.SANDBOX);
    assertThat(load(Map.of("MASON_BIND_ADDRESS", "0.0.0.0", "MASON_BASH", "Host")).bash()).isEqualTo(BashMode.HOST);
    assertThat(load(Map.of("MASON_BASH", "off")).bash()).isEqualTo(BashMode.OFF);
    assertThatThrownBy(() -> load(Map.of("MASON_BASH", "docker")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("MASON_BASH").hasMessageContaining("host, sandbox or off");
  }

  @Test
  void databricksAppsIsRecognisedByItsNameAloneAndThenWantsForwardedTokens() {
    Settings apps = load(Map.of("DATABRICKS_APP_NAME", "team", "DATABRICKS_CLIENT_ID", "sp", "DATABRICKS_CLIENT_SECRET", "shh"));

    assertThat(apps.server().apps().name()).isEqualTo("team");
    assertThat(apps.server().requireForwardedToken()).isTrue();
    assertThat(apps.workspace().hasServicePrincipal()).isTrue();
    assertThat(apps.workspace().toString()).doesNotContain("shh");
    assertThat(load(Map.of()).server().apps()).isNull();
    assertThat(load(Map.of()).server().requireForwardedToken()).isFalse();
  }

  @Test
  void aSecretCanComeFromAFileInsteadOfTheEnvironment() throws Exception {
    Path token = Files.writeString(home.resolve("token"), "dapi-from-file\n");

    Settings settings = load(Map.of("DATABRICKS_HOST", "https://ws.example.com", "DATABRICKS_TOKEN_FILE", token.toString()));

    assertThat(settings.workspace().token()).isEqualTo("dapi-from-file");
    assertThat(SecretVariables.isSecret("DATABRICKS_TOKEN_FILE")).as("a shell is not told where the token is").isTrue();
    assertThat(SecretVariables.isSecret("JAVA_FILE")).isFalse();
    assertThatThrownBy(() -> load(Map.of("DATABRICKS_TOKEN", "a", "DATABRICKS_TOKEN_FILE", token.toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("DATABRICKS_TOKEN_FILE");
    assertThatThrownBy(() -> load(Map.of("ANTHROPIC_API_KEY_FILE", home.resolve("missing").toString())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("ANTHROPIC_API_KEY_FILE").hasMessageContaining("cannot be read");
  }

  @Test
  void thePublicUrlsHostAndTheConfiguredOnesMayBeNamedInHost() {
    Settings settings = load(Map.of("MASON_PUBLIC_URL", "https://Mason.Example.com/", "MASON_ALLOWED_HOSTS", "a.internal, B.internal"));

    assertThat(settings.server().allowedHosts()).containsExactly("mason.example.com", "a.internal", "b.internal");
    assertThatThrownBy(() -> load(Map.of("MASON_ALLOWED_HOSTS", "http://x.example.com")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("MASON_ALLOWED_HOSTS");
  }

  @Test
  void aDatabaseUrlIsTakenApartWithItsPasswordDecodedAndMasked() {
    Settings settings = load(Map.of("MASON_DATABASE_URL", "postgresql://app%40corp:p%3Ass%2Fw@db.example.com:6543/mason_db?sslmode=require"));

    var target = (DatabaseSettings.External) settings.database().target();
    assertThat(target).isEqualTo(new DatabaseSettings.External("db.example.com", 6543, "mason_db", "app@corp", "p:ss/w", "require"));
    assertThat(settings.toString()).doesNotContain("p:ss/w").contains("****");
  }

  @Test
  void masonDatabaseUrlWinsOverLakebasePgUrlAndJdbcUrlsAreAccepted() {
    var target = (DatabaseSettings.External) load(Map.of(
        "MASON_DATABASE_URL", "jdbc:postgresql://first.example.com/one",
        "LAKEBASE_PG_URL", "postgresql://second.example.com/two")).database().target();

    assertThat(target.host()).isEqualTo("first.example.com");
    assertThat(target.port()).isEqualTo(5432);
    assertThat(target.sslMode()).isEqualTo("prefer");
  }

  @Test
  void theAppsDatabaseResourceVariablesMakeAnExternalTargetWithTheWorkspaceTokenAsPassword() {
    var target = (DatabaseSettings.External) load(Map.of(
        "PGHOST", "instance.database.cloud.databricks.com", "PGDATABASE", "databricks_postgres",
        "PGUSER", "app-sp-id")).database().target();

    assertThat(target.port()).isEqualTo(5432);
    assertThat(target.sslMode()).isEqualTo("require");
    assertThat(target.user()).isEqualTo("app-sp-id");
    assertThat(target.password()).as("null: the workspace token is the password").isNull();
  }

  @Test
  void aLakebaseInstanceAndItsSchemaNameAreRead() {
    Settings settings = load(Map.of("LAKEBASE_INSTANCE_NAME", "builder", "LAKEBASE_DATABASE_NAME", "builder_db",
        "LAKEBASE_SCHEMA_NAME", "builder_app"));

    assertThat(settings.database().target()).isEqualTo(new DatabaseSettings.Lakebase("builder", "builder_db"));
    assertThat(settings.database().schema()).isEqualTo("builder_app");
    assertThat(load(Map.of("LAKEBASE_SCHEMA_NAME", "a", "MASON_DATABASE_SCHEMA", "b")).database().schema()).isEqualTo("b");
  }

  @Test
  void theWorkspaceTokenNeverAppearsWhenSettingsAreLogged() {
    Settings settings = load(Map.of("DATABRICKS_HOST", "adb-1.azuredatabricks.net/", "DATABRICKS_TOKEN", "dapi-secret-123"));

    assertThat(settings.workspace().host()).isEqualTo("https://adb-1.azuredatabricks.net");
    assertThat(settings.workspace().token()).isEqualTo("dapi-secret-123");
    assertThat(settings.toString()).doesNotContain("dapi-secret-123");
  }

  @Test
  void anEnvFileFillsInWhatTheEnvironmentDoesNotSet() throws Exception {
    Path file = home.resolve("mason.env");
    Files.writeString(file, """
        # comment
        export PORT=9100
        PROJECTS_BASE_DIR="%s"
        BACKUP_INTERVAL_SECONDS='30'
        """.formatted(home.resolve("elsewhere")));

    Settings settings = load(Map.of("BACKUP_INTERVAL_SECONDS", "45"), "--env-file", file.toString());

    assertThat(settings.server().port()).isEqualTo(9100);
    assertThat(settings.storage().projectsDir()).isEqualTo(home.resolve("elsewhere"));
    assertThat(settings.backup().interval()).as("the environment wins over the file").isEqualTo(Duration.ofSeconds(45));
  }

  @Test
  void unknownFlagsAndAMissingEnvFileAreRefused() {
    assertThatThrownBy(() -> load(Map.of(), "--prot", "80")).isInstanceOf(ConfigException.class).hasMessageContaining("--prot");
    assertThatThrownBy(() -> load(Map.of(), "--port")).isInstanceOf(ConfigException.class).hasMessageContaining("needs a value");
    assertThatThrownBy(() -> load(Map.of("MASON_ENV_FILE", home.resolve("missing.env").toString())))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.variable()).isEqualTo("MASON_ENV_FILE"));
  }
}
