package dev.mason;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./mason} script builds only when a source is newer than the jar, so a start with
 * nothing changed goes straight to the server. Run on a copy of the script in a scratch project,
 * with a Maven wrapper and a JDK that only record that they ran.
 */
class MasonScriptTest {
  @TempDir
  Path project;
  Path builds;
  Path jar;

  @BeforeEach
  void scratchProject() throws IOException {
    Files.copy(Path.of("mason"), project.resolve("mason"));
    builds = project.resolve("builds.log");
    jar = project.resolve("target/mason.jar");
    executable(project.resolve("mvnw"), "echo build >> '" + builds + "'\nmkdir -p target && touch target/mason.jar\n");
    Path jdk = project.resolve("jdk/bin");
    executable(jdk.resolve("java"), "case \"$*\" in *XshowSettings*) echo '    java.specification.version = 21' >&2 ;; esac\n");
    executable(jdk.resolve("javac"), "exit 0\n");
    Files.writeString(project.resolve("pom.xml"), "<project/>");
    write("src/main/java/A.java");
    write("web/src/app.ts");
    write("web/node_modules/lib/index.js");
    write("web/dist/index.html");
  }

  @Test
  void aStartWithNothingChangedRunsNoBuildAndAChangedSourceRebuilds() throws Exception {
    run();
    assertThat(buildCount()).as("the first start builds").isEqualTo(1);

    Instant built = Instant.now().minusSeconds(60);
    Files.setLastModifiedTime(jar, FileTime.from(built));
    for (String old : List.of("pom.xml", "src/main/java/A.java", "web/src/app.ts")) {
      Files.setLastModifiedTime(project.resolve(old), FileTime.from(built.minusSeconds(60)));
    }
    // Installed packages and build output are newer than the jar, as after any npm ci: not a change.
    touch("web/node_modules/lib/index.js");
    touch("web/dist/index.html");
    run();
    run();
    assertThat(buildCount()).as("starts with nothing changed").isEqualTo(1);

    touch("web/src/app.ts");
    run();
    assertThat(buildCount()).as("a changed source rebuilds").isEqualTo(2);
  }

  private void run() throws Exception {
    ProcessBuilder builder = new ProcessBuilder("bash", project.resolve("mason").toString(), "version")
        .directory(project.toFile()).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", project.resolve("jdk").toString());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  private int buildCount() throws IOException {
    return Files.exists(builds) ? Files.readAllLines(builds).size() : 0;
  }

  private void write(String relative) throws IOException {
    Path file = project.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, "x");
  }

  private void touch(String relative) throws IOException {
    Files.setLastModifiedTime(project.resolve(relative), FileTime.from(Instant.now()));
  }

  private static void executable(Path file, String body) throws IOException {
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/usr/bin/env bash\n" + body);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
