package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.web.Json;
import java.util.List;

/**
 * A statement's rows as the model reads them: a markdown table (the default; JSON costs several
 * times the tokens), or JSON objects keyed by column on request. A truncated result says so in
 * words, so the model does not take a partial result for the whole.
 */
final class ResultTable {
  private static final int MAX_CELL_CHARS = 500;

  private ResultTable() {}

  static String markdown(StatementOutcome.Succeeded result, int maxRows) {
    if (result.columns().isEmpty()) {
      return "Statement succeeded (no result set).";
    }
    StringBuilder out = new StringBuilder();
    out.append('|');
    result.columns().forEach(c -> out.append(' ').append(cell(c.name())).append(" |"));
    out.append("\n|");
    result.columns().forEach(c -> out.append("---|"));
    for (List<String> row : result.rows()) {
      out.append("\n|");
      row.forEach(v -> out.append(' ').append(v == null ? "NULL" : cell(v)).append(" |"));
    }
    out.append("\n\n").append(countLine(result, maxRows));
    return out.toString();
  }

  static String json(StatementOutcome.Succeeded result, int maxRows) {
    ObjectNode out = Json.MAPPER.createObjectNode();
    ArrayNode columns = out.putArray("columns");
    result.columns().forEach(c -> columns.addObject().put("name", c.name()).put("type", c.type()));
    out.set("rows", rowsAsObjects(result, result.rows().size()));
    out.put("row_count", result.rows().size());
    out.put("truncated", result.truncated());
    if (result.truncated()) {
      out.put("note", countLine(result, maxRows));
    }
    return out.toString();
  }

  /** The first {@code limit} rows as objects keyed by column name. */
  static ArrayNode rowsAsObjects(StatementOutcome.Succeeded result, int limit) {
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (List<String> row : result.rows().subList(0, Math.min(limit, result.rows().size()))) {
      ObjectNode object = rows.addObject();
      for (int i = 0; i < result.columns().size() && i < row.size(); i++) {
        object.put(result.columns().get(i).name(), row.get(i));
      }
    }
    return rows;
  }

  private static String countLine(StatementOutcome.Succeeded result, int maxRows) {
    int n = result.rows().size();
    if (!result.truncated()) {
      return "(" + n + (n == 1 ? " row)" : " rows)");
    }
    return "(truncated: showing the first " + n + " rows; the result has more than max_rows=" + maxRows
        + ". Aggregate, filter or add a LIMIT, or raise max_rows.)";
  }

  private static String cell(String value) {
    String flat = value.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    return flat.length() <= MAX_CELL_CHARS ? flat : flat.substring(0, MAX_CELL_CHARS) + "…";
  }
}
