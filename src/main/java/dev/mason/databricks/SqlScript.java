package dev.mason.databricks;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a SQL script into statements at the semicolons that end them, and only those: a
 * semicolon inside a string ({@code 'a;b'}, with {@code ''} and backslash escapes), a quoted
 * identifier ({@code "x;y"}, {@code `x;y`}), a line comment ({@code -- ;}) or a block comment
 * (slash-star to star-slash, nested as Databricks SQL allows) does not split. Statements that hold only
 * comments and whitespace are dropped.
 */
public final class SqlScript {
  private SqlScript() {}

  public static List<String> split(String script) {
    List<String> statements = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean hasCode = false;
    int i = 0;
    int n = script.length();
    while (i < n) {
      char c = script.charAt(i);
      char next = i + 1 < n ? script.charAt(i + 1) : 0;
      if (c == '-' && next == '-') {
        int end = script.indexOf('\n', i);
        end = end < 0 ? n : end;
        current.append(script, i, end);
        i = end;
      } else if (c == '/' && next == '*') {
        int end = blockCommentEnd(script, i);
        current.append(script, i, end);
        i = end;
      } else if (c == '\'' || c == '"' || c == '`') {
        int end = quotedEnd(script, i, c);
        current.append(script, i, end);
        hasCode = true;
        i = end;
      } else if (c == ';') {
        add(statements, current, hasCode);
        current.setLength(0);
        hasCode = false;
        i++;
      } else {
        hasCode |= !Character.isWhitespace(c);
        current.append(c);
        i++;
      }
    }
    add(statements, current, hasCode);
    return statements;
  }

  private static void add(List<String> statements, StringBuilder current, boolean hasCode) {
    if (hasCode) {
      statements.add(current.toString().strip());
    }
  }

  /** Index just past the quoted text starting at {@code start}; the end of the script if unterminated. */
  private static int quotedEnd(String script, int start, char quote) {
    int i = start + 1;
    while (i < script.length()) {
      char c = script.charAt(i);
      if (c == '\\' && quote != '`') {
        i += 2;
      } else if (c == quote) {
        if (i + 1 < script.length() && script.charAt(i + 1) == quote) {
          i += 2;
        } else {
          return i + 1;
        }
      } else {
        i++;
      }
    }
    return script.length();
  }

  /** Index just past the block comment starting at {@code start}, counting nested comments. */
  private static int blockCommentEnd(String script, int start) {
    int depth = 0;
    int i = start;
    while (i < script.length() - 1) {
      if (script.startsWith("/*", i)) {
        depth++;
        i += 2;
      } else if (script.startsWith("*/", i)) {
        depth--;
        i += 2;
        if (depth == 0) {
          return i;
        }
      } else {
        i++;
      }
    }
    return script.length();
  }
}
