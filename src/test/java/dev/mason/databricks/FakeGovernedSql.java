package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.Yaml;

/**
 * The Databricks SQL that PostgreSQL cannot run, answered by the fake itself: row filters and
 * column masks (ALTER TABLE ... SET ROW FILTER, ALTER COLUMN ... SET MASK and their DROPs), kept in
 * {@link FakeCatalog} so that a table's Unity Catalog entry shows them; and metric views (CREATE
 * VIEW ... WITH METRICS LANGUAGE YAML), kept as their YAML, listed as METRIC_VIEW tables, and
 * queried with MEASURE() by rewriting the query onto the source table.
 *
 * <p>Thread-safe: state lives in {@link FakeCatalog}'s concurrent maps.
 */
final class FakeGovernedSql {
  private static final String NAME = "((?:`[^`]+`|\\w+)(?:\\.(?:`[^`]+`|\\w+)){2})";
  private static final Pattern SET_FILTER = Pattern.compile("(?is)ALTER TABLE " + NAME + " SET ROW FILTER " + NAME + " ON \\((.*)\\)");
  private static final Pattern DROP_FILTER = Pattern.compile("(?is)ALTER TABLE " + NAME + " DROP ROW FILTER");
  private static final Pattern SET_MASK = Pattern.compile(
      "(?is)ALTER TABLE " + NAME + " ALTER COLUMN (`[^`]+`|\\w+) SET MASK " + NAME + "(?: USING COLUMNS \\((.*)\\))?");
  private static final Pattern DROP_MASK = Pattern.compile("(?is)ALTER TABLE " + NAME + " ALTER COLUMN (`[^`]+`|\\w+) DROP MASK");
  private static final Pattern METRIC_VIEW = Pattern.compile(
      "(?is)CREATE OR REPLACE VIEW " + NAME + "(?: COMMENT '(?:[^'\\\\]|\\\\.)*')? WITH METRICS LANGUAGE YAML AS \\$\\$(.*)\\$\\$");
  private static final Pattern DROP_VIEW = Pattern.compile("(?is)DROP VIEW IF EXISTS " + NAME);
  private static final Pattern MEASURE = Pattern.compile("(?i)MEASURE\\((`[^`]+`|\\w+)\\)");
  private static final Pattern FROM = Pattern.compile("(?is)FROM " + NAME);

  private final FakeCatalog catalog;

  FakeGovernedSql(FakeCatalog catalog) {
    this.catalog = catalog;
  }

  /** The statement rewritten for PostgreSQL, an empty result when the fake answered it, or the statement as it was. */
  Optional<String> translate(String sql) throws SQLException {
    Matcher m;
    if ((m = SET_FILTER.matcher(sql)).matches()) {
      String table = existing(m.group(1));
      ObjectNode filter = FakeWorkspace.object().put("function_name", plain(m.group(2)));
      names(m.group(3)).forEach(filter.putArray("input_column_names")::add);
      catalog.rowFilters.put(table, filter);
      return Optional.empty();
    }
    if ((m = DROP_FILTER.matcher(sql)).matches()) {
      catalog.rowFilters.remove(existing(m.group(1)));
      return Optional.empty();
    }
    if ((m = SET_MASK.matcher(sql)).matches()) {
      String table = existing(m.group(1));
      ObjectNode mask = FakeWorkspace.object().put("function_name", plain(m.group(3)));
      names(m.group(4) == null ? "" : m.group(4)).forEach(mask.putArray("using_column_names")::add);
      catalog.columnMasks.computeIfAbsent(table, t -> new java.util.concurrent.ConcurrentHashMap<>()).put(plain(m.group(2)), mask);
      return Optional.empty();
    }
    if ((m = DROP_MASK.matcher(sql)).matches()) {
      Map<String, ObjectNode> masks = catalog.columnMasks.get(existing(m.group(1)));
      if (masks != null) {
        masks.remove(plain(m.group(2)));
      }
      return Optional.empty();
    }
    if ((m = METRIC_VIEW.matcher(sql)).matches()) {
      String view = plain(m.group(1));
      Map<String, Object> definition = new Yaml().load(m.group(2));
      if (definition == null || !definition.containsKey("source") || !definition.containsKey("measures")) {
        throw new SQLException("[METRIC_VIEW_INVALID_VIEW_DEFINITION] The metric view definition needs source and measures.", "42K0L");
      }
      existing(String.valueOf(definition.get("source")));
      catalog.metricViews.put(view, m.group(2).strip());
      return Optional.empty();
    }
    if ((m = DROP_VIEW.matcher(sql)).matches() && catalog.metricViews.remove(plain(m.group(1))) != null) {
      return Optional.empty();
    }
    Matcher from = FROM.matcher(sql);
    if (from.find() && catalog.metricViews.containsKey(plain(from.group(1)))) {
      return Optional.of(rewriteMeasures(sql, catalog.metricViews.get(plain(from.group(1)))));
    }
    return Optional.of(sql);
  }

  /** {@code SELECT d, MEASURE(m) AS m FROM view ... GROUP BY ALL} onto the source: each name replaced by its expression. */
  @SuppressWarnings("unchecked")
  private static String rewriteMeasures(String sql, String yaml) {
    Map<String, Object> definition = new Yaml().load(yaml);
    Map<String, String> dimensions = expressions((List<Map<String, Object>>) definition.getOrDefault("dimensions", List.of()));
    Map<String, String> measures = expressions((List<Map<String, Object>>) definition.get("measures"));
    String rewritten = MEASURE.matcher(sql).replaceAll(r -> Matcher.quoteReplacement("(" + measures.getOrDefault(plain(r.group(1)),
        "missing_measure_" + plain(r.group(1))) + ")"));
    rewritten = FROM.matcher(rewritten).replaceFirst(Matcher.quoteReplacement("FROM " + definition.get("source")));
    int grouped = 0;
    for (var dimension : dimensions.entrySet()) {
      String quoted = "`" + dimension.getKey() + "`";
      if (rewritten.contains(quoted + ",") || rewritten.contains(quoted + " ")) {
        grouped++;
      }
      rewritten = rewritten.replaceFirst(Pattern.quote(quoted), Matcher.quoteReplacement("(" + dimension.getValue() + ") AS " + quoted));
    }
    List<String> positions = new ArrayList<>();
    for (int i = 1; i <= grouped; i++) {
      positions.add(Integer.toString(i));
    }
    return rewritten.replaceFirst("(?i)GROUP BY ALL", positions.isEmpty() ? "" : "GROUP BY " + String.join(", ", positions));
  }

  private static Map<String, String> expressions(List<Map<String, Object>> items) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    items.forEach(item -> out.put(String.valueOf(item.get("name")), String.valueOf(item.get("expr"))));
    return out;
  }

  private String existing(String table) throws SQLException {
    String name = plain(table);
    if (!catalog.tableExists(name)) {
      throw new SQLException("[TABLE_OR_VIEW_NOT_FOUND] The table or view `" + name + "` cannot be found.", "42P01");
    }
    return name;
  }

  private static List<String> names(String list) {
    List<String> names = new ArrayList<>();
    for (String name : list.split(",")) {
      if (!name.isBlank()) {
        names.add(plain(name.strip()));
      }
    }
    return names;
  }

  private static String plain(String name) {
    return name.replace("`", "");
  }
}
