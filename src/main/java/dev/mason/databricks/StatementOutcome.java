package dev.mason.databricks;

import java.time.Duration;
import java.util.List;

/** How one SQL statement ended on a warehouse. */
sealed interface StatementOutcome {
  String statementId();

  Duration elapsed();

  /** A result column: its name and its Databricks type text. */
  record Column(String name, String type) {}

  /**
   * @param rows up to the row limit, values as the API sends them (strings, or null)
   * @param truncated whether the result had more rows than were fetched
   */
  record Succeeded(String statementId, List<Column> columns, List<List<String>> rows, boolean truncated, Duration elapsed)
      implements StatementOutcome {}

  /** FAILED, CANCELED or CLOSED, with the warehouse's error. */
  record Failed(String statementId, String state, String message, Duration elapsed) implements StatementOutcome {
    SqlErrorCategory category() {
      return SqlErrorCategory.of(message);
    }
  }

  /** Still running at the timeout; a cancel was sent. */
  record TimedOut(String statementId, Duration elapsed) implements StatementOutcome {}
}
