package dev.mason.databricks;

import dev.mason.agent.tool.ToolFailure;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Names and values written into SQL a tool composes, quoted so that no input can change the statement. */
final class SqlNames {
  private SqlNames() {}

  /** A Databricks SQL identifier in backticks. */
  static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }

  /** A dotted name such as {@code catalog.schema.table}, each part quoted; it must have {@code parts} parts. */
  static String qualified(String name, int parts, String argument) {
    String[] split = name.split("\\.", -1);
    if (split.length != parts || Arrays.stream(split).anyMatch(String::isBlank)) {
      throw new ToolFailure(argument + " must be a " + (parts == 3 ? "three-part name catalog.schema.name" : parts + "-part name")
          + ", not '" + name + "'");
    }
    return Arrays.stream(split).map(SqlNames::quote).collect(Collectors.joining("."));
  }

  /** Column names, each quoted, separated by commas. */
  static String columns(List<String> names) {
    return names.stream().map(SqlNames::quote).collect(Collectors.joining(", "));
  }

  /** A SQL string literal. */
  static String literal(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
