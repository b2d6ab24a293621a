package dev.mason.agent.tool;

import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Grep's output in one of its three modes, with its caps: files are added in path order, and
 * the report says when it is {@link #full()} so the search can stop early. Not thread-safe.
 */
final class GrepReport {
  /** Bounds one result to about 10k tokens. */
  static final int MAX_OUTPUT_CHARS = 40_000;
  static final int MAX_LINE_CHARS = 500;

  private record FileHit(String path, FileTime modified, int lines) {}

  private final String mode;
  private final boolean lineNumbers;
  private final int before;
  private final int after;
  /** The most entries to show (lines in content mode, files otherwise), or -1 for the default. */
  private final int headLimit;

  private final List<FileHit> hits = new ArrayList<>();
  private final StringBuilder content = new StringBuilder();
  private int contentLines;
  private boolean contentCut;

  GrepReport(String mode, boolean lineNumbers, int before, int after, int headLimit) {
    this.mode = mode;
    this.lineNumbers = lineNumbers;
    this.before = before;
    this.after = after;
    this.headLimit = headLimit;
  }

  /** Whether more files cannot change the output (only content mode fills up before the end). */
  boolean full() {
    return contentCut;
  }

  void add(String path, FileTime modified, List<String> lines, BitSet matching) {
    hits.add(new FileHit(path, modified, matching.cardinality()));
    if (mode.equals("content")) {
      addContent(path, lines, matching);
    }
  }

  private void addContent(String path, List<String> lines, BitSet matching) {
    int lastShown = -1;
    for (int match = matching.nextSetBit(0); match >= 0; match = matching.nextSetBit(match + 1)) {
      int start = Math.max(0, match - before);
      int end = Math.min(lines.size() - 1, match + after);
      if (start <= lastShown) {
        start = lastShown + 1;
      } else if ((before > 0 || after > 0) && !content.isEmpty()) {
        content.append("--\n");
      }
      for (int i = start; i <= end; i++) {
        if ((headLimit > 0 && contentLines >= headLimit) || content.length() >= MAX_OUTPUT_CHARS) {
          contentCut = true;
          return;
        }
        char separator = matching.get(i) ? ':' : '-';
        content.append(path).append(separator);
        if (lineNumbers) {
          content.append(i + 1).append(separator);
        }
        String line = lines.get(i);
        content.append(line.length() > MAX_LINE_CHARS ? line.substring(0, MAX_LINE_CHARS) + " …(line cut)" : line).append('\n');
        contentLines++;
      }
      lastShown = end;
    }
  }

  String render(String pattern, String where, String stoppedBecause) {
    StringBuilder out = new StringBuilder();
    if (hits.isEmpty()) {
      out.append("No matches for '").append(pattern).append("' in ").append(where).append('.');
    } else {
      switch (mode) {
        case "content" -> {
          out.append(content);
          if (contentCut) {
            out.append("\n(Output cut after ").append(contentLines).append(" lines")
                .append(headLimit > 0 && contentLines >= headLimit ? " (head_limit)" : "")
                .append(". Narrow the pattern, path or glob to see the rest.)");
          }
        }
        case "count" -> {
          int limit = headLimit > 0 ? headLimit : GrepTool.DEFAULT_ENTRIES;
          hits.stream().limit(limit).forEach(hit -> out.append(hit.path()).append(':').append(hit.lines()).append('\n'));
          int total = hits.stream().mapToInt(FileHit::lines).sum();
          out.append("\n").append(total).append(total == 1 ? " matching line in " : " matching lines in ")
              .append(hits.size()).append(hits.size() == 1 ? " file." : " files.");
          if (hits.size() > limit) {
            out.append(" (Counts shown for the first ").append(limit).append(" files.)");
          }
        }
        default -> {
          int limit = headLimit > 0 ? headLimit : GrepTool.DEFAULT_ENTRIES;
          List<FileHit> newestFirst = hits.stream()
              .sorted(Comparator.comparing(FileHit::modified).reversed().thenComparing(FileHit::path))
              .toList();
          newestFirst.stream().limit(limit).forEach(hit -> out.append(hit.path()).append('\n'));
          if (hits.size() > limit) {
            out.append("\n(Showing ").append(limit).append(" of ").append(hits.size())
                .append(" matching files, the most recently modified first. Narrow the pattern, path or glob.)");
          }
        }
      }
    }
    if (stoppedBecause != null) {
      out.append("\n(Stopped early: ").append(stoppedBecause).append(".)");
    }
    return out.toString().stripTrailing();
  }
}
