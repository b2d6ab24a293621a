package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the sandbox cannot start, Bash is off and says what to install; it never runs unconfined. */
class BashSandboxTest {
  @TempDir
  Path folder;

  @Test
  void withoutBwrapTheProbeSaysWhatToInstall() {
    BashSandbox.Probe probe = BashSandbox.probe(folder.resolve("no-bwrap-here"), List.of());

    assertThat(probe.sandbox()).isNull();
    assertThat(probe.problem()).contains("apt-get install bubblewrap").contains("MASON_BASH=host");
  }

  @Test
  void aBashThatCannotBeSandboxedRefusesEveryCommandAndRunsNothing() throws Exception {
    var fixture = new ToolFixture(folder);
    Tool bash = new BashTool(new BashShell.Unavailable("bubblewrap is not installed"));

    ToolResult result = fixture.call(bash, "command", "touch ran.txt");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).contains("Bash is off").contains("bubblewrap is not installed");
    assertThat(bash.description()).contains("unavailable");
    assertThat(Files.exists(folder.resolve("ran.txt"))).isFalse();
  }

  @Test
  void offMeansNoBashToolAtAll() {
    assertThat(BuiltinTools.all(new BashShell.Off())).extracting(Tool::name).doesNotContain("Bash").contains("Read", "TodoWrite");
  }

  @Test
  void aHiddenFolderInsideASystemFolderIsCoveredAndTheProjectIsTheOnlyWritablePlace() throws Exception {
    BashSandbox sandbox = BashSandbox.probe(List.of(Path.of("/etc"), folder.resolve("elsewhere"))).sandbox();
    Assumptions.assumeTrue(sandbox != null, "bwrap cannot start here");

    List<String> command = sandbox.command(folder.toRealPath());

    assertThat(String.join(" ", command)).contains("--tmpfs /etc").doesNotContain("elsewhere")
        .contains("--bind " + folder.toRealPath() + " " + folder.toRealPath()).contains("--unshare-all");
  }
}
