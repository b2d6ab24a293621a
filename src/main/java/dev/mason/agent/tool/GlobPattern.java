package dev.mason.agent.tool;

import java.util.regex.Pattern;

/**
 * A glob as models write them, turned into a regular expression over '/'-separated relative
 * paths: {@code *} and {@code ?} stay within one folder name, {@code **}{@code /} spans zero or
 * more folders (so {@code **}{@code /*.py} also matches {@code a.py} at the top), {@code [abc]}
 * and {@code [!abc]} are character classes, {@code {ts,tsx}} lists alternatives, and a backslash
 * makes the next character literal.
 */
final class GlobPattern {
  private static final String REGEX_SPECIALS = "\\.[]{}()<>*+-=!?^$|&";

  private final String glob;
  private final Pattern regex;

  private GlobPattern(String glob, Pattern regex) {
    this.glob = glob;
    this.regex = regex;
  }

  /** @throws ToolFailure naming {@code field} when the glob is malformed */
  static GlobPattern compile(String glob, String field) {
    String source = glob.startsWith("./") ? glob.substring(2) : glob;
    StringBuilder re = new StringBuilder();
    int openBraces = 0;
    for (int i = 0; i < source.length(); i++) {
      char c = source.charAt(i);
      switch (c) {
        case '*' -> {
          if (i + 1 < source.length() && source.charAt(i + 1) == '*') {
            i++;
            if (i + 1 < source.length() && source.charAt(i + 1) == '/') {
              i++;
              re.append("(?:[^/]*/)*");
            } else {
              re.append(".*");
            }
          } else {
            re.append("[^/]*");
          }
        }
        case '?' -> re.append("[^/]");
        case '[' -> i = characterClass(source, i, re);
        case '{' -> {
          openBraces++;
          re.append("(?:");
        }
        case '}' -> re.append(openBraces-- > 0 ? ")" : "\\}");
        case ',' -> re.append(openBraces > 0 ? "|" : ",");
        case '\\' -> {
          if (i + 1 < source.length()) {
            literal(source.charAt(++i), re);
          } else {
            re.append("\\\\");
          }
        }
        default -> literal(c, re);
      }
      openBraces = Math.max(openBraces, 0);
    }
    if (openBraces > 0) {
      throw new ToolFailure(field + " '" + glob + "' has a '{' that is never closed");
    }
    return new GlobPattern(glob, Pattern.compile(re.toString()));
  }

  /** Whether the whole of {@code relativePath} ('/'-separated) matches. */
  boolean matches(String relativePath) {
    return regex.matcher(relativePath).matches();
  }

  /** Whether the glob names folders; a glob without '/' is matched against file names by Grep. */
  boolean hasFolders() {
    return glob.indexOf('/') >= 0;
  }

  @Override
  public String toString() {
    return glob;
  }

  /** Translates {@code [...]} starting at {@code start}; returns the index of its ']'. */
  private static int characterClass(String source, int start, StringBuilder re) {
    int i = start + 1;
    boolean negated = i < source.length() && (source.charAt(i) == '!' || source.charAt(i) == '^');
    if (negated) {
      i++;
    }
    int first = i;
    while (i < source.length() && (source.charAt(i) != ']' || i == first)) {
      i++;
    }
    if (i >= source.length()) {
      re.append("\\[");
      return start;
    }
    re.append(negated ? "[^" : "[");
    for (int j = first; j < i; j++) {
      char c = source.charAt(j);
      if (c == '\\' || c == '[' || c == ']' || c == '&' || c == '^') {
        re.append('\\');
      }
      re.append(c);
    }
    re.append(']');
    return i;
  }

  private static void literal(char c, StringBuilder re) {
    if (REGEX_SPECIALS.indexOf(c) >= 0) {
      re.append('\\');
    }
    re.append(c);
  }
}
