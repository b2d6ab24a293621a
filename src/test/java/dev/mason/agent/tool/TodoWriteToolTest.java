package dev.mason.agent.tool;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TodoWriteToolTest {
  @TempDir
  Path folder;
  ToolFixture fixture;

  @BeforeEach
  void setUp() {
    fixture = new ToolFixture(folder);
  }

  @Test
  void theListIsHandedToTheRunAndSummarised() throws Exception {
    ToolResult result = fixture.call("TodoWrite", "todos", ToolFixture.json("""
        [{"content": "Profile the sales table", "status": "completed", "id": "1"},
         {"content": "Write the ETL job", "status": "in_progress"},
         {"content": "Schedule it", "status": "pending"}]"""));

    assertThat(result.isError()).isFalse();
    assertThat(result.content()).isEqualTo("Todo list updated: 3 items (1 completed, 1 in progress, 1 pending).");
    assertThat(fixture.todos).containsExactly(List.of(
        new ToolContext.Todo("Profile the sales table", "completed", "1"),
        new ToolContext.Todo("Write the ETL job", "in_progress", null),
        new ToolContext.Todo("Schedule it", "pending", null)));
  }

  @Test
  void anEmptyListClearsIt() throws Exception {
    ToolResult result = fixture.call("TodoWrite", "todos", ToolFixture.json("[]"));

    assertThat(result.isError()).isFalse();
    assertThat(fixture.todos).containsExactly(List.of());
  }

  @Test
  void anUnknownStatusIsRefusedWithItsPosition() throws Exception {
    ToolResult result = fixture.call("TodoWrite", "todos", ToolFixture.json("""
        [{"content": "a", "status": "pending"}, {"content": "b", "status": "done"}]"""));

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo(
        "Invalid input for TodoWrite: todos[1].status must be one of pending, in_progress, completed, not \"done\".");
    assertThat(fixture.todos).isEmpty();
  }

  @Test
  void anItemWithoutContentIsRefused() throws Exception {
    ToolResult missing = fixture.call("TodoWrite", "todos", ToolFixture.json("[{\"status\": \"pending\"}]"));
    ToolResult blank = fixture.call("TodoWrite", "todos", ToolFixture.json("[{\"content\": \"  \", \"status\": \"pending\"}]"));

    assertThat(missing.content()).isEqualTo("Invalid input for TodoWrite: todos[0].content is required.");
    assertThat(blank.content()).isEqualTo("todos[0].content is empty");
    assertThat(fixture.todos).isEmpty();
  }

  @Test
  void todosMustBeAList() throws Exception {
    ToolResult result = fixture.call("TodoWrite", "todos", "write tests");

    assertThat(result.isError()).isTrue();
    assertThat(result.content()).isEqualTo("Invalid input for TodoWrite: todos must be an array, not a string.");
  }
}
