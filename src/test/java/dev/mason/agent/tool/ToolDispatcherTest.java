package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.message.ContentBlock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolDispatcherTest {
  @TempDir
  Path folder;
  ToolFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ToolFixture(folder);
  }

  /** A tool whose behaviour a test writes in place. */
  record FakeTool(String name, boolean readOnly, Body body) implements Tool {
    interface Body {
      ToolResult run(JsonNode input) throws Exception;
    }

    @Override
    public String description() {
      return "A tool for tests.";
    }

    @Override
    public ObjectNode inputSchema() {
      return (ObjectNode) ToolFixture.json("""
          {"type": "object", "properties": {"tag": {"type": "string", "description": "A label."}}, "required": []}""");
    }

    @Override
    public ToolResult execute(ToolContext context, JsonNode input) throws Exception {
      return body.run(input);
    }
  }

  @Test
  void readOnlyCallsOfOneTurnRunAtTheSameTime() {
    CountDownLatch bothRunning = new CountDownLatch(2);
    Tool probe = new FakeTool("Probe", true, input -> {
      bothRunning.countDown();
      return bothRunning.await(10, TimeUnit.SECONDS) ? ToolResult.ok("overlapped") : ToolResult.error("ran alone");
    });
    ToolDispatcher dispatcher = new ToolDispatcher(List.of(probe));

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(use("a", "Probe"), use("b", "Probe")));

    assertThat(results).extracting(ContentBlock.ToolResult::content).containsExactly("overlapped", "overlapped");
  }

  @Test
  void resultsComeBackInTheOrderOfTheCallsNotOfCompletion() {
    CountDownLatch secondDone = new CountDownLatch(1);
    Tool slow = new FakeTool("Slow", true, input -> secondDone.await(10, TimeUnit.SECONDS)
        ? ToolResult.ok("slow finished last") : ToolResult.error("never saw the fast call finish"));
    Tool fast = new FakeTool("Fast", true, input -> {
      secondDone.countDown();
      return ToolResult.ok("fast finished first");
    });
    ToolDispatcher dispatcher = new ToolDispatcher(List.of(slow, fast));

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(use("1", "Slow"), use("2", "Fast")));

    assertThat(results).extracting(ContentBlock.ToolResult::toolUseId).containsExactly("1", "2");
    assertThat(results).extracting(ContentBlock.ToolResult::content).containsExactly("slow finished last", "fast finished first");
  }

  @Test
  void aCallThatChangesThingsRunsAloneBetweenTheCallsAroundIt() {
    CountDownLatch changeStarted = new CountDownLatch(1);
    AtomicBoolean changeEnded = new AtomicBoolean();
    AtomicInteger looking = new AtomicInteger();
    Tool look = new FakeTool("Look", true, input -> {
      looking.incrementAndGet();
      try {
        if (input.path("tag").asText().equals("before")) {
          // Waits for the change to start: it must not, until this call has finished.
          return ToolResult.ok(changeStarted.await(300, TimeUnit.MILLISECONDS) ? "overlapped the change" : "finished before the change");
        }
        return ToolResult.ok(changeEnded.get() ? "started after the change" : "overlapped the change");
      } finally {
        looking.decrementAndGet();
      }
    });
    Tool change = new FakeTool("Change", false, input -> {
      changeStarted.countDown();
      String alone = looking.get() == 0 ? "ran alone" : "ran beside a read";
      changeEnded.set(true);
      return ToolResult.ok(alone);
    });
    ToolDispatcher dispatcher = new ToolDispatcher(List.of(look, change));

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(
        use("1", "Look", "tag", "before"), use("2", "Change"), use("3", "Look", "tag", "after")));

    assertThat(results).extracting(ContentBlock.ToolResult::content)
        .containsExactly("finished before the change", "ran alone", "started after the change");
  }

  @Test
  void aReadAfterAWriteInTheSameTurnSeesTheWrite() throws Exception {
    ToolDispatcher dispatcher = new ToolDispatcher(BuiltinTools.all());

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(
        use("w", "Write", "file_path", "a.txt", "content", "fresh"),
        use("r", "Read", "file_path", "a.txt")));

    assertThat(results).extracting(ContentBlock.ToolResult::content)
        .containsExactly("Created a.txt (5 bytes written).", "     1\tfresh\n");
    assertThat(Files.readString(folder.resolve("a.txt"))).isEqualTo("fresh");
  }

  @Test
  void anUnknownToolIsAnErrorResultListingTheToolsThatExist() {
    ToolDispatcher dispatcher = new ToolDispatcher(BuiltinTools.all());

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(use("x", "Telnet")));

    assertThat(results).singleElement().satisfies(result -> {
      assertThat(result.isError()).isTrue();
      assertThat(result.toolUseId()).isEqualTo("x");
      assertThat(result.content()).isEqualTo(
          "Unknown tool 'Telnet'. Available tools: Read, Write, Edit, Glob, Grep, Bash, TodoWrite.");
    });
  }

  @Test
  void inputThatDoesNotFitTheSchemaIsAnErrorResult() {
    ToolDispatcher dispatcher = new ToolDispatcher(BuiltinTools.all());

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(
        use("1", "Read"),
        use("2", "Read", "file_path", 42),
        use("3", "Grep", "pattern", "x", "-i", "yes"),
        new ContentBlock.ToolUse("4", "Bash", ToolFixture.json("[\"ls\"]"))));

    assertThat(results).allMatch(ContentBlock.ToolResult::isError);
    assertThat(results).extracting(ContentBlock.ToolResult::content).containsExactly(
        "Invalid input for Read: file_path is required.",
        "Invalid input for Read: file_path must be a string, not an integer.",
        "Invalid input for Grep: -i must be a boolean, not a string.",
        "Invalid input for Bash: the input must be a JSON object, not an array.");
  }

  @Test
  void anExceptionBecomesAShortErrorWithoutStackTraceOrToken() {
    Tool broken = new FakeTool("Broken", false, input -> {
      throw new IllegalStateException("connection refused for token dapi-secret-token");
    });
    ToolDispatcher dispatcher = new ToolDispatcher(List.of(broken));

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(use("1", "Broken")));

    assertThat(results).singleElement().satisfies(result -> {
      assertThat(result.isError()).isTrue();
      assertThat(result.content()).startsWith("Broken failed: IllegalStateException: connection refused for token ****.")
          .doesNotContain("dapi-secret-token").doesNotContain("\tat ").doesNotContain("ToolDispatcherTest");
    });
  }

  @Test
  void aToolFailureThrownByAnyToolIsShownAsItsMessage() {
    Tool picky = new FakeTool("Picky", true, input -> {
      throw new ToolFailure("warehouse_id 'abc' does not exist");
    });
    ToolDispatcher dispatcher = new ToolDispatcher(List.of(picky));

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(use("1", "Picky")));

    assertThat(results).singleElement().satisfies(result -> {
      assertThat(result.isError()).isTrue();
      assertThat(result.content()).isEqualTo("warehouse_id 'abc' does not exist");
    });
  }

  @Test
  void callsOfACancelledRunAreNotStartedButStillAnswered() {
    AtomicInteger ran = new AtomicInteger();
    Tool counter = new FakeTool("Count", false, input -> ToolResult.ok("ran " + ran.incrementAndGet()));
    ToolDispatcher dispatcher = new ToolDispatcher(List.of(counter));
    fixture.cancellation.cancel();

    List<ContentBlock.ToolResult> results = dispatcher.run(fixture.context(), List.of(use("1", "Count"), use("2", "Count")));

    assertThat(ran).hasValue(0);
    assertThat(results).extracting(ContentBlock.ToolResult::content)
        .containsExactly("Count was not run: the run was cancelled.", "Count was not run: the run was cancelled.");
  }

  @Test
  void twoToolsWithOneNameAreRefused() {
    Tool one = new FakeTool("Same", true, input -> ToolResult.ok(""));
    Tool two = new FakeTool("Same", false, input -> ToolResult.ok(""));

    assertThatThrownBy(() -> new ToolDispatcher(List.of(one, two)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Same'");
  }

  private static ContentBlock.ToolUse use(String id, String name, Object... fields) {
    return new ContentBlock.ToolUse(id, name, ToolFixture.input(fields));
  }
}
