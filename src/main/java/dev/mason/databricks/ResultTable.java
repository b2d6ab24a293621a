package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mason.web.Json;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A statement's rows as the model reads them: a markdown table (the default; JSON costs several
 * times the tokens), or JSON objects keyed by column on request. A truncated result says so in
 * words, so the model does not take a partial result for the whole.
 */
final class ResultTable {
  private static final int MAX_CELL_CHARS = 500;
  private static final Set<String> INTEGER_TYPES = Set.of("TINYINT", "BYTE", "SMALLINT", "SHORT", "INT", "INTEGER", "BIGINT", "LONG");

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

  /**
   * The first {@code limit} rows as objects keyed by column name. The API sends every value as a
   * string; numbers and booleans become JSON numbers and booleans again by their column's type.
   */
  static ArrayNode rowsAsObjects(StatementOutcome.Succeeded result, int limit) {
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (List<String> row : result.rows().subList(0, Math.min(limit, result.rows().size()))) {
      ObjectNode object = rows.addObject();
      for (int i = 0; i < result.columns().size() && i < row.size(); i++) {
        object.set(result.columns().get(i).name(), value(result.columns().get(i).type(), row.get(i)));
      }
    }
    return rows;
  }

  private static JsonNode value(String type, String text) {
    if (text == null) {
      return NullNode.getInstance();
    }
    String t = type.toUpperCase(Locale.ROOT);
    try {
      if (INTEGER_TYPES.contains(t)) {
        return LongNode.valueOf(Long.parseLong(text));
      }
      if (t.equals("FLOAT") || t.equals("DOUBLE")) {
        return DoubleNode.valueOf(Double.parseDouble(text));
      }
      if (t.startsWith("DECIMAL")) {
        return DecimalNode.valueOf(new BigDecimal(text));
      }
      if (t.equals("BOOLEAN")) {
        return BooleanNode.valueOf(Boolean.parseBoolean(text));
      }
    } catch (NumberFormatException e) {
      // NaN, Infinity and the like stay text.
    }
    return TextNode.valueOf(text);
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
