package dev.mason.databricks;

import java.util.Locale;

/**
 * What kind of failure a SQL error is, read from the Databricks error class in its message (e.g.
 * {@code [TABLE_OR_VIEW_NOT_FOUND]}) or its wording, with what to try next.
 */
enum SqlErrorCategory {
  MISSING_TABLE("check the catalog and schema, or list the tables with get_table_stats_and_schema"),
  MISSING_COLUMN("check the column names with get_table_stats_and_schema"),
  SYNTAX_ERROR("fix the SQL syntax (Databricks SQL quotes identifiers with backticks)"),
  PERMISSION_ERROR("you lack a privilege on the object; ask its owner to grant it to you, or use another object"),
  TIMEOUT_ERROR("the statement was cancelled at the timeout; it may have had effects; raise timeout or narrow the query"),
  WAREHOUSE_ERROR("the warehouse is unavailable; pick another with manage_warehouse"),
  GENERAL_ERROR("read the message and adjust the statement");

  final String suggestion;

  SqlErrorCategory(String suggestion) {
    this.suggestion = suggestion;
  }

  static SqlErrorCategory of(String message) {
    String m = message == null ? "" : message.toUpperCase(Locale.ROOT);
    if (m.contains("TABLE_OR_VIEW_NOT_FOUND") || m.contains("SCHEMA_NOT_FOUND") || m.contains("NO_SUCH_CATALOG")
        || m.contains("TABLE OR VIEW NOT FOUND") || (m.contains("TABLE") && m.contains("DOES NOT EXIST"))
        || (m.contains("RELATION") && m.contains("DOES NOT EXIST"))) {
      return MISSING_TABLE;
    }
    if (m.contains("UNRESOLVED_COLUMN") || m.contains("FIELD_NOT_FOUND") || (m.contains("COLUMN") && (m.contains("DOES NOT EXIST")
        || m.contains("CANNOT BE RESOLVED")))) {
      return MISSING_COLUMN;
    }
    if (m.contains("PARSE_SYNTAX_ERROR") || m.contains("SYNTAX ERROR") || m.contains("PARSEEXCEPTION")) {
      return SYNTAX_ERROR;
    }
    if (m.contains("INSUFFICIENT_PERMISSIONS") || m.contains("INSUFFICIENT_PRIVILEGES") || m.contains("PERMISSION_DENIED")
        || m.contains("PERMISSION DENIED") || m.contains("DOES NOT HAVE")) {
      return PERMISSION_ERROR;
    }
    if (m.contains("TIMEOUT") || m.contains("TIMED OUT") || m.contains("DEADLINE_EXCEEDED")) {
      return TIMEOUT_ERROR;
    }
    if (m.contains("WAREHOUSE")) {
      return WAREHOUSE_ERROR;
    }
    return GENERAL_ERROR;
  }
}
