package dev.mason.skill;

import dev.mason.databricks.SqlScript;
import java.util.List;
import java.util.regex.Pattern;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;

/**
 * SQL examples must parse. JSqlParser knows ANSI SQL and the common dialects, not Databricks SQL,
 * so each statement (split as {@code execute_sql_multi} splits scripts) goes through three steps:
 * <ol>
 *   <li>parsed as written;</li>
 *   <li>else parsed again after Databricks-only syntax inside an otherwise standard statement is
 *       rewritten to its standard shape: named arguments ({@code format => 'csv'}), {@code STREAM}
 *       sources, {@code UPDATE SET *} / {@code INSERT *} in MERGE, time travel, complex types
 *       ({@code MAP<..>}, {@code ARRAY<..>}, {@code STRUCT<..>}), {@code GROUP BY ALL}, table clauses
 *       ({@code CLUSTER BY}, {@code USING DELTA}, {@code TBLPROPERTIES}, {@code COMMENT}); and
 *       for {@code CREATE ... AS <query>} (tables, materialized views, streaming tables) the query
 *       alone is parsed;</li>
 *   <li>else, when the statement is one only Databricks has ({@link #DATABRICKS_ONLY}: GRANT on
 *       Unity Catalog securables, SHOW, DESCRIBE, COPY INTO, OPTIMIZE, AUTO CDC, ...), its
 *       structure is checked instead: quotes and brackets balanced and closed. Anything else
 *       that does not parse fails with the parser's message.</li>
 * </ol>
 * Step 3 is weaker than a parse; it is limited to statement forms listed by name, so a typo in
 * an ordinary SELECT, INSERT, UPDATE, MERGE or CREATE TABLE still fails.
 */
final class DatabricksSqlCheck implements SkillCheck.ExampleCheck {
  static final Pattern DATABRICKS_ONLY = Pattern.compile("(?is)^\\s*(" + String.join("|", List.of(
      "GRANT\\b", "REVOKE\\b", "SHOW\\b", "DESCRIBE\\b", "DESC\\b", "LIST\\b", "USE\\b", "COPY\\s+INTO\\b",
      "OPTIMIZE\\b", "VACUUM\\b", "ANALYZE\\b", "RESTORE\\b", "COMMENT\\s+ON\\b", "REFRESH\\b", "SYNC\\b",
      "MSCK\\b", "APPLY\\s+CHANGES\\b", "AUTO\\s+CDC\\b", "SET\\b", "RESET\\b", "CALL\\b",
      "ALTER\\s+(TABLE|SCHEMA|CATALOG|VOLUME|VIEW|MATERIALIZED\\s+VIEW|STREAMING\\s+TABLE|FUNCTION|CONNECTION|SHARE|RECIPIENT|EXTERNAL\\s+LOCATION)\\b",
      "CREATE\\s+(OR\\s+REPLACE\\s+)?(CATALOG|SCHEMA|VOLUME|EXTERNAL\\s+VOLUME|FUNCTION|TEMPORARY\\s+FUNCTION|CONNECTION|FOREIGN\\s+CATALOG|"
          + "EXTERNAL\\s+LOCATION|STORAGE\\s+CREDENTIAL|SHARE|RECIPIENT|FLOW|TEMPORARY\\s+VIEW|VIEW\\s+\\S+\\s+WITH\\s+METRICS)\\b",
      "CREATE\\s+OR\\s+REFRESH\\b", "CREATE\\s+(OR\\s+REPLACE\\s+)?(MATERIALIZED\\s+VIEW|STREAMING\\s+TABLE)\\b",
      "DROP\\s+(CATALOG|SCHEMA|VOLUME|FUNCTION|CONNECTION|SHARE|RECIPIENT|MATERIALIZED\\s+VIEW)\\b")) + ")");

  private static final List<Rewrite> REWRITES = List.of(
      new Rewrite("(?i)\\b[a-z_][a-z0-9_]*\\s*=>\\s*", ""),
      new Rewrite("(?i)\\bFROM\\s+STREAM\\s*\\(\\s*([^()]+?)\\s*\\)", "FROM $1"),
      new Rewrite("(?i)\\bFROM\\s+STREAM\\s+", "FROM "),
      new Rewrite("(?i)\\bJOIN\\s+STREAM\\s*\\(\\s*([^()]+?)\\s*\\)", "JOIN $1"),
      new Rewrite("(?i)\\bUPDATE\\s+SET\\s+\\*", "UPDATE SET all_columns = all_columns"),
      new Rewrite("(?i)\\bINSERT\\s+\\*", "INSERT (all_columns) VALUES (all_columns)"),
      new Rewrite("(?i)\\b(VERSION|TIMESTAMP)\\s+AS\\s+OF\\s+('[^']*'|\\d+)", ""),
      new Rewrite("(?i)\\bCLUSTER\\s+BY\\s+(AUTO|\\([^)]*\\))", ""),
      new Rewrite("(?i)\\bUSING\\s+DELTA\\b", ""),
      new Rewrite("(?i)\\bGROUP\\s+BY\\s+ALL\\b", "GROUP BY 1"),
      new Rewrite("(?i)\\bTBLPROPERTIES\\s*\\([^)]*\\)", ""),
      new Rewrite("(?i)\\bTIMESTAMP_NTZ\\b", "TIMESTAMP"),
      new Rewrite("(?i)\\b(MAP|ARRAY|STRUCT)\\s*<[^<>]*>", "STRING"),
      new Rewrite("(?i)\\bINTERVAL\\s+(\\d+)\\s+(DAYS?|HOURS?|MINUTES?|SECONDS?|MONTHS?|YEARS?)\\b", "INTERVAL '$1' $2"));
  /** {@code CREATE [OR REPLACE|OR REFRESH] [TEMPORARY] TABLE|MATERIALIZED VIEW|STREAMING TABLE|VIEW name ... AS <query>}. */
  private static final Pattern CREATE_AS = Pattern.compile(
      "(?is)^\\s*CREATE\\s+(OR\\s+(REPLACE|REFRESH)\\s+)?(TEMPORARY\\s+|PRIVATE\\s+)?(TABLE|MATERIALIZED\\s+VIEW|STREAMING\\s+TABLE|VIEW)\\b.*?\\bAS\\s+(?=(SELECT|WITH|FROM|\\())");

  private record Rewrite(Pattern pattern, String replacement) {
    Rewrite(String regex, String replacement) {
      this(Pattern.compile(regex), replacement);
    }
  }

  @Override
  public String language() {
    return "sql";
  }

  @Override
  public String problem(String code) {
    for (String statement : SqlScript.split(code)) {
      String problem = statementProblem(statement);
      if (problem != null) {
        return problem + " in: " + firstLine(statement);
      }
    }
    return null;
  }

  static String statementProblem(String statement) {
    String asWritten = parseProblem(statement);
    if (asWritten == null) {
      return null;
    }
    String rewritten = statement;
    for (Rewrite r : REWRITES) {
      rewritten = r.pattern().matcher(rewritten).replaceAll(r.replacement());
    }
    var createAs = CREATE_AS.matcher(withoutLeadingComments(rewritten));
    if (createAs.find()) {
      // The query of CREATE ... AS must parse: no structural fallback for it.
      String query = parseProblem(withoutLeadingComments(rewritten).substring(createAs.end()));
      return query == null ? null : "its query " + query;
    }
    if (parseProblem(rewritten) == null) {
      return null;
    }
    if (DATABRICKS_ONLY.matcher(withoutLeadingComments(statement)).find()) {
      return structureProblem(statement);
    }
    return asWritten;
  }

  /** The statement from its first token: a comment before it (kept by the splitter) is dropped. */
  private static String withoutLeadingComments(String sql) {
    String rest = sql.stripLeading();
    while (rest.startsWith("--") || rest.startsWith("/*")) {
      int end = rest.startsWith("--") ? rest.indexOf('\n') : rest.indexOf("*/");
      rest = end < 0 ? "" : rest.substring(end + (rest.startsWith("--") ? 1 : 2)).stripLeading();
    }
    return rest;
  }

  private static String parseProblem(String sql) {
    try {
      CCJSqlParserUtil.parse(sql);
      return null;
    } catch (JSQLParserException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return "does not parse (" + firstLine(String.valueOf(cause.getMessage())) + ")";
    } catch (RuntimeException e) {
      return "does not parse (" + e.getClass().getSimpleName() + ")";
    }
  }

  /** Quotes closed and brackets balanced, outside strings and comments. */
  static String structureProblem(String sql) {
    StringBuilder open = new StringBuilder();
    int n = sql.length();
    for (int i = 0; i < n; i++) {
      char c = sql.charAt(i);
      char next = i + 1 < n ? sql.charAt(i + 1) : 0;
      if (c == '-' && next == '-') {
        int end = sql.indexOf('\n', i);
        i = end < 0 ? n : end;
      } else if (c == '/' && next == '*') {
        int end = sql.indexOf("*/", i + 2);
        if (end < 0) {
          return "a comment is never closed";
        }
        i = end + 1;
      } else if (c == '$' && next == '$') {
        int end = sql.indexOf("$$", i + 2);
        if (end < 0) {
          return "a $$ block is never closed";
        }
        i = end + 1;
      } else if (c == '\'' || c == '"' || c == '`') {
        int j = i + 1;
        while (j < n && sql.charAt(j) != c) {
          j += sql.charAt(j) == '\\' && c != '`' ? 2 : 1;
        }
        if (j >= n) {
          return "a " + c + " quote is never closed";
        }
        i = j;
      } else if (c == '(' || c == '[' || c == '{') {
        open.append(c);
      } else if (c == ')' || c == ']' || c == '}') {
        char expected = c == ')' ? '(' : c == ']' ? '[' : '{';
        if (open.isEmpty() || open.charAt(open.length() - 1) != expected) {
          return "an unbalanced '" + c + "'";
        }
        open.setLength(open.length() - 1);
      }
    }
    return open.isEmpty() ? null : "'" + open.charAt(open.length() - 1) + "' is never closed";
  }

  private static String firstLine(String text) {
    String stripped = text.strip();
    int newline = stripped.indexOf('\n');
    return newline < 0 ? stripped : stripped.substring(0, newline) + " ...";
  }
}
