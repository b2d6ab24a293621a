package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolResult;
import dev.mason.identity.Caller;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;

/** Tools wired to a {@link FakeWorkspace}, and calls made as a given user with their token. */
final class ToolTesting {
  final FakeWorkspace fake;
  final DatabricksTools tools;
  final Path projectFolder;

  ToolTesting(FakeWorkspace fake, ToolSettings settings) {
    this(fake, settings, Clock.systemUTC());
  }

  ToolTesting(FakeWorkspace fake, ToolSettings settings, Clock clock) {
    this.fake = fake;
    this.tools = new DatabricksTools(new WorkspaceAccess(new WorkspaceSettings(fake.url(), "mason-token")), settings, clock);
    try {
      Path base = Path.of(System.getProperty("mason.test.home", "target/test-home")).toAbsolutePath();
      Files.createDirectories(base);
      this.projectFolder = Files.createTempDirectory(base, "project-");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Fast polls; calls go to the background after 10 s as in production unless a test says otherwise. */
  static ToolSettings fastPolls() {
    return new ToolSettings(Duration.ofSeconds(10), Duration.ofMillis(20));
  }

  Tool tool(String name) {
    return tools.all().stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no tool " + name));
  }

  static Caller caller(String user, String token) {
    return new Caller(user, token, Caller.Source.FORWARDED_HEADERS);
  }

  ToolContext context(Caller caller) {
    return new ToolContext(caller, UUID.randomUUID(), projectFolder, "exec-test", null, null);
  }

  ToolResult call(Caller caller, String tool, String inputJson) {
    try {
      JsonNode input = Json.MAPPER.readTree(inputJson);
      return tool(tool).execute(context(caller), input);
    } catch (Exception e) {
      throw new AssertionError(tool + " threw instead of answering", e);
    }
  }

  /** Calls a tool that must succeed; returns its text. */
  String ok(Caller caller, String tool, String inputJson) {
    ToolResult result = call(caller, tool, inputJson);
    if (result.isError()) {
      throw new AssertionError(tool + " failed: " + result.content());
    }
    return result.content();
  }

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }
}
