package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.time.Duration;

/**
 * The outcome of running code on Databricks compute, whichever way it ran.
 *
 * @param status SUCCESS, ERROR or TIMEOUT
 * @param output what the code printed (or a table it returned), possibly shortened
 * @param error the error message and trace, or null
 */
record CodeRun(String status, String output, String error, Duration elapsed) {
  static final int MAX_OUTPUT_CHARS = 20_000;

  boolean failed() {
    return !status.equals("SUCCESS");
  }

  ObjectNode toJson() {
    ObjectNode out = Json.MAPPER.createObjectNode().put("status", status).put("output", clip(output));
    if (error != null) {
      out.put("error", clip(error));
    }
    out.put("elapsed_ms", elapsed.toMillis());
    return out;
  }

  /** Keeps the end of long output: the last lines hold the result and the error. */
  static String clip(String text) {
    if (text == null || text.length() <= MAX_OUTPUT_CHARS) {
      return text;
    }
    return "[first " + (text.length() - MAX_OUTPUT_CHARS) + " characters cut]\n" + text.substring(text.length() - MAX_OUTPUT_CHARS);
  }
}
