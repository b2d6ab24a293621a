package dev.mason.databricks;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a script's statements into groups that may run at the same time: a statement joins the
 * group after the latest earlier statement it depends on. One statement depends on another when
 * either writes a table the other names (compared by the table's last name part, so
 * {@code main.s.t} and {@code t} count as the same: a false dependency only costs parallelism, a
 * missed one would break the script). Statements whose effects cannot be read from their text
 * ({@code USE}, {@code SET}, {@code CREATE SCHEMA}, procedures, anything unrecognised) are
 * barriers: they wait for everything before them and everything after waits for them.
 */
final class SqlGroups {
  private static final String NAME = "((?:`[^`]+`|[\\w$]+)(?:\\s*\\.\\s*(?:`[^`]+`|[\\w$]+))*)";
  private static final Pattern WRITES = Pattern.compile("(?is)^\\s*(?:"
      + "CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TEMP(?:ORARY)?\\s+)?(?:EXTERNAL\\s+)?(?:STREAMING\\s+|MATERIALIZED\\s+)?(?:TABLE|VIEW)\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?"
      + "|INSERT\\s+(?:INTO|OVERWRITE)\\s+(?:TABLE\\s+)?"
      + "|UPDATE\\s+|DELETE\\s+FROM\\s+|MERGE\\s+INTO\\s+|TRUNCATE\\s+TABLE\\s+|COPY\\s+INTO\\s+|OPTIMIZE\\s+"
      + "|DROP\\s+(?:TABLE|VIEW)\\s+(?:IF\\s+EXISTS\\s+)?|ALTER\\s+(?:TABLE|VIEW)\\s+)" + NAME);
  private static final Pattern READS = Pattern.compile("(?i)\\b(?:FROM|JOIN|USING|TABLE)\\s+" + NAME);
  private static final Pattern QUERY = Pattern.compile("(?is)^\\s*(?:SELECT|WITH|VALUES|DESCRIBE|DESC|SHOW|EXPLAIN)\\b.*");

  /** What one statement touches; {@code barrier} when it cannot be told. */
  private record Footprint(Set<String> writes, Set<String> names, boolean barrier) {}

  private SqlGroups() {}

  /** The group number (from 0) of each statement, in script order; groups run one after another. */
  static int[] of(List<String> statements) {
    List<Footprint> prints = statements.stream().map(SqlGroups::footprint).toList();
    int[] group = new int[statements.size()];
    for (int i = 0; i < statements.size(); i++) {
      int level = 0;
      for (int j = 0; j < i; j++) {
        if (dependent(prints.get(j), prints.get(i))) {
          level = Math.max(level, group[j] + 1);
        }
      }
      group[i] = level;
    }
    return group;
  }

  private static boolean dependent(Footprint earlier, Footprint later) {
    if (earlier.barrier() || later.barrier()) {
      return true;
    }
    return intersects(earlier.writes(), later.names()) || intersects(later.writes(), earlier.names());
  }

  private static boolean intersects(Set<String> a, Set<String> b) {
    return a.stream().anyMatch(b::contains);
  }

  private static Footprint footprint(String sql) {
    Set<String> writes = new HashSet<>();
    Matcher write = WRITES.matcher(sql);
    if (write.find()) {
      writes.add(table(write.group(1)));
    } else if (!QUERY.matcher(sql).matches()) {
      return new Footprint(Set.of(), Set.of(), true);
    }
    Set<String> names = new HashSet<>(writes);
    Matcher read = READS.matcher(sql);
    while (read.find()) {
      names.add(table(read.group(1)));
    }
    return new Footprint(writes, names, false);
  }

  /** The last part of a (possibly qualified, possibly backticked) name, lower-case. */
  private static String table(String name) {
    List<String> parts = new ArrayList<>(List.of(name.split("\\s*\\.\\s*")));
    return parts.getLast().replace("`", "").toLowerCase(Locale.ROOT);
  }
}
