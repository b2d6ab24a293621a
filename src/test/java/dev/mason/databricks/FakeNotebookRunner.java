package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What "running" a task means in the fake, since it has no Python: a notebook written by
 * execute_code is opened, the user's code is read back from it, and its {@code print("...")} lines
 * become the output; {@code raise} makes an error, {@code time.sleep} makes the run hang until
 * cancelled. Other notebooks succeed, unless their path contains "fail".
 */
final class FakeNotebookRunner {
  private static final Pattern PRINT = Pattern.compile("print\\((['\"])(.*?)\\1\\)");
  private static final Pattern EMBEDDED_CODE = Pattern.compile("^_mason_code = (\".*\")$", Pattern.MULTILINE);

  /**
   * @param resultState SUCCESS or FAILED
   * @param notebookResult what {@code dbutils.notebook.exit} returned, or null
   * @param hang whether the task keeps running until cancelled
   */
  record Outcome(String resultState, String notebookResult, String error, String errorTrace, boolean hang) {
    static Outcome success(String result) {
      return new Outcome("SUCCESS", result, null, null, false);
    }
  }

  private FakeNotebookRunner() {}

  static Outcome run(String notebookPath, String source) {
    if (source == null) {
      return notebookPath.contains("fail")
          ? new Outcome("FAILED", null, "Exception: notebook failed", "Traceback (most recent call last):\nException: notebook failed", false)
          : Outcome.success(null);
    }
    Matcher embedded = EMBEDDED_CODE.matcher(source);
    if (!embedded.find()) {
      return Outcome.success(null);
    }
    String code = decode(embedded.group(1));
    if (code.contains("time.sleep")) {
      return new Outcome("SUCCESS", null, null, null, true);
    }
    StringBuilder output = new StringBuilder();
    Matcher print = PRINT.matcher(code);
    while (print.find()) {
      output.append(print.group(2)).append('\n');
    }
    String error = code.contains("raise") ? "Traceback (most recent call last):\n  File \"<execute_code>\", line 1\nValueError: boom\n" : null;
    var result = Json.MAPPER.createObjectNode().put("output", output.toString()).put("error", error);
    return Outcome.success(result.toString());
  }

  /** The output the fake's cluster gives a command: the same reading of print and raise. */
  static List<String> prints(String code) {
    List<String> lines = new ArrayList<>();
    Matcher print = PRINT.matcher(code);
    while (print.find()) {
      lines.add(print.group(2));
    }
    return lines;
  }

  private static String decode(String literal) {
    try {
      JsonNode node = Json.MAPPER.readTree(literal);
      return node.asText();
    } catch (IOException e) {
      throw new AssertionError("execute_code embedded code that is not a JSON string literal: " + literal, e);
    }
  }
}
