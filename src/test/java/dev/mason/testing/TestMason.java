package dev.mason.testing;

import dev.mason.Application;
import dev.mason.config.SettingsLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real Mason for tests: embedded PostgreSQL, real migrations, port 0, a fresh MASON_HOME under
 * target/ unless one is given. Identity headers are trusted, so {@link #as(String)} picks the user.
 */
public final class TestMason implements AutoCloseable {
  private final Path home;
  private final Application app;

  private TestMason(Path home, Application app) {
    this.home = home;
    this.app = app;
  }

  public static TestMason start() {
    return start(Map.of());
  }

  public static TestMason start(Map<String, String> env) {
    return startAt(freshHome(), env);
  }

  /** Starts on {@code home}, keeping what an earlier Mason left there. */
  public static TestMason startAt(Path home, Map<String, String> env) {
    Map<String, String> merged = new HashMap<>(baseEnvironment());
    merged.put("MASON_HOME", home.toString());
    merged.put("PORT", "0");
    merged.put("MASON_TRUST_FORWARDED_HEADERS", "true");
    // No test reaches npm unless it asks to: the CLIs come from CachedClis (MASON_CLIS_DIR).
    merged.put("MASON_CLIS_INSTALL", "false");
    merged.putAll(env);
    if (onAppsWithoutDatabase(merged)) {
      // Mason refuses to start on Apps without a database resource: give it one, as the platform would.
      merged.putAll(TestPostgres.appsResource());
    }
    return new TestMason(home, Application.start(SettingsLoader.load(merged, List.of())));
  }

  private static boolean onAppsWithoutDatabase(Map<String, String> env) {
    boolean onApps = env.containsKey("DATABRICKS_APP_NAME") || env.containsKey("DATABRICKS_APP_PORT");
    return onApps && List.of("MASON_DATABASE_URL", "LAKEBASE_PG_URL", "LAKEBASE_INSTANCE_NAME", "PGHOST").stream()
        .noneMatch(env::containsKey);
  }

  /**
   * What a shell needs from the real environment (terminals inherit it) and nothing else, so
   * that a developer's own DATABRICKS_* or model keys never reach a test.
   */
  private static Map<String, String> baseEnvironment() {
    Map<String, String> base = new HashMap<>();
    System.getenv().forEach((name, value) -> {
      if (List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "TERM", "TMPDIR").contains(name) || name.startsWith("LC_")) {
        base.put(name, value);
      }
    });
    return base;
  }

  public static Path freshHome() {
    try {
      Path base = Path.of(System.getProperty("mason.test.home", "target/test-home"));
      Files.createDirectories(base);
      return Files.createTempDirectory(base.toAbsolutePath(), "home-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A client whose requests carry the Apps proxy's identity header for {@code user}. */
  public Api as(String user) {
    return new Api(baseUrl(), Map.of("X-Forwarded-Email", user));
  }

  /** A client that sends no identity: the local user. */
  public Api anonymous() {
    return new Api(baseUrl(), Map.of());
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.port();
  }

  public Path home() {
    return home;
  }

  public Application app() {
    return app;
  }

  @Override
  public void close() {
    app.close();
  }
}
