package dev.mason.skill;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The quality rules for a folder of skills: what {@code mason skills check DIR} reports and what
 * the tests hold the shipped skills to. One implementation for both.
 *
 * <p>On top of the loader's rules (front matter, name and folder, aliases), each skill must:
 * <ul>
 *   <li>say in its description when to use it;</li>
 *   <li>keep SKILL.md within {@value #MAX_MAIN_FILE_BYTES} bytes (it is what the agent loads;
 *       detail goes into the other files), and link every other file from SKILL.md so the agent
 *       can find it;</li>
 *   <li>link only files that exist in the skill;</li>
 *   <li>claim ({@code tools:}) and name only tools Mason has. A tool is named as inline code whose
 *       text has a tool's shape ({@link #TOOL_SHAPE}): {@code manage_dashboard},
 *       {@code get_table_stats_and_schema}. Code blocks are not searched: SQL functions and SDK
 *       methods live there;</li>
 *   <li>pass the example checks given (Python compiles; the tests add a SQL parser) for its
 *       fenced code blocks, and {@code .py} files;</li>
 *   <li>never grant to everyone ({@code account users}, {@code users}) or grant
 *       {@code ALL PRIVILEGES}.</li>
 * </ul>
 */
public final class SkillCheck {
  public static final int MAX_MAIN_FILE_BYTES = 8 * 1024;

  /** A checker of one language's examples: fenced blocks tagged with {@link #language()}. */
  public interface ExampleCheck {
    /** The fence's info word, e.g. {@code python} or {@code sql}. */
    String language();

    /** Why the code is wrong, or null when it passes. */
    String problem(String code);
  }

  /** The outcome: the skills that loaded, and every problem found (loader's and quality rules'). */
  public record Report(List<String> skills, List<SkillProblem> problems) {
    public Report {
      skills = List.copyOf(skills);
      problems = List.copyOf(problems);
    }
  }

  private static final Pattern WHEN_TO_USE =
      Pattern.compile("(?i)\\buse (it|this|when|for|before|whenever|while|after|to)\\b|\\bwhen\\b");
  /**
   * Inline code that reads as a tool's name: a verb that only tools start with, then words; or
   * a verb that actions and arguments share with tools (get, list, query, check, delete) then at
   * least two words, since one word after it is usually an action or argument, such as
   * {@code get_output} of {@code manage_job_runs}.
   */
  static final Pattern TOOL_SHAPE = Pattern.compile("(manage|execute|ask|mason|generate)(_[a-z0-9]+)+"
      + "|(get|list|query|check|delete)_[a-z0-9]+(_[a-z0-9]+)+");
  private static final Pattern INLINE_CODE = Pattern.compile("`([^`\\n]+)`");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]\\n]*\\]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern FENCE = Pattern.compile("^ {0,3}(```+|~~~+)\\s*([A-Za-z0-9_+-]*).*$");
  private static final List<Pattern> OVER_GRANTS = List.of(
      Pattern.compile("\\bGRANT [^;\\n]* TO\\s+`?(account users|users)\\b"),
      Pattern.compile("\\bGRANT\\s+ALL\\s+PRIVILEGES\\b"),
      Pattern.compile("\"principal\"\\s*:\\s*\"(account users|users)\""));

  /** Whole files checked as examples, by extension. */
  private static final Map<String, String> LANGUAGE_OF_EXTENSION = Map.of("py", "python", "sql", "sql");

  private final Set<String> knownTools;
  private final List<ExampleCheck> examples;
  private final List<SkillProblem> problems = new ArrayList<>();

  private SkillCheck(Set<String> knownTools, List<ExampleCheck> examples) {
    this.knownTools = knownTools;
    this.examples = examples;
  }

  /**
   * Checks every skill folder in {@code dir}.
   *
   * @param label how {@code dir} is named in problems (never an absolute path in a report users see)
   * @param knownTools every tool name Mason has
   */
  public static Report check(String label, Path dir, Set<String> knownTools, List<ExampleCheck> examples) {
    LoadedSkills loaded = SkillLoader.folderOnly(label, dir);
    SkillCheck check = new SkillCheck(knownTools, examples);
    check.problems.addAll(loaded.problems());
    loaded.skills().values().forEach(check::skill);
    return new Report(List.copyOf(loaded.skills().keySet()), check.problems);
  }

  /** Whether the text grants to everyone or grants every privilege. */
  public static boolean overGrants(String text) {
    return OVER_GRANTS.stream().anyMatch(p -> p.matcher(text).find());
  }

  private void skill(Skill skill) {
    String main = skill.source().display(Skill.MAIN_FILE);
    if (!WHEN_TO_USE.matcher(skill.description()).find()) {
      problem(main, "the description does not say when to use the skill (e.g. 'Use it when ...')");
    }
    for (String tool : skill.tools()) {
      if (!knownTools.contains(tool)) {
        problem(main, "tools claims '" + tool + "', which is not a tool of Mason");
      }
    }
    String mainText = read(skill, Skill.MAIN_FILE);
    if (mainText == null) {
      return;
    }
    int bytes = mainText.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_MAIN_FILE_BYTES) {
      problem(main, "has " + bytes + " bytes; the budget is " + MAX_MAIN_FILE_BYTES
          + " (move detail into reference files and link them)");
    }
    List<String> linkedFromMain = new ArrayList<>();
    for (String file : skill.files()) {
      String text = file.equals(Skill.MAIN_FILE) ? mainText : read(skill, file);
      if (text == null) {
        continue;
      }
      if (file.endsWith(".md")) {
        List<String> links = markdown(skill, file, text);
        if (file.equals(Skill.MAIN_FILE)) {
          linkedFromMain.addAll(links);
        }
      } else {
        String language = LANGUAGE_OF_EXTENSION.get(file.substring(file.lastIndexOf('.') + 1));
        examples.stream().filter(e -> e.language().equals(language)).forEach(e -> example(skill, file, 1, e, text));
      }
      if (overGrants(text)) {
        problem(skill.source().display(file), "grants to everyone ('account users' or 'users') or grants ALL PRIVILEGES; "
            + "grant the named group only what it needs");
      }
    }
    for (String file : skill.otherFiles()) {
      if (!linkedFromMain.contains(file)) {
        problem(main, "does not link " + file + "; link every file of the skill from SKILL.md, e.g. [" + file + "](" + file + ")");
      }
    }
  }

  /** Checks one Markdown file and returns the skill files it links (relative to the skill). */
  private List<String> markdown(Skill skill, String file, String text) {
    String shown = skill.source().display(file);
    String folder = file.contains("/") ? file.substring(0, file.lastIndexOf('/') + 1) : "";
    List<String> linked = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    String fence = null;
    String language = null;
    int blockStart = 0;
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      Matcher fenceLine = FENCE.matcher(line);
      if (fence == null && fenceLine.matches()) {
        fence = fenceLine.group(1);
        language = fenceLine.group(2).toLowerCase();
        blockStart = i + 2;
        block.setLength(0);
        continue;
      }
      if (fence != null) {
        if (line.strip().startsWith(fence) && line.strip().replace(fence.substring(0, 1), "").isEmpty()) {
          String lang = language;
          String code = block.toString();
          int start = blockStart;
          examples.stream().filter(e -> e.language().equals(lang)).forEach(e -> example(skill, file, start, e, code));
          fence = null;
        } else {
          block.append(line).append('\n');
        }
        continue;
      }
      Matcher code = INLINE_CODE.matcher(line);
      while (code.find()) {
        String span = code.group(1).strip();
        if (TOOL_SHAPE.matcher(span).matches() && !knownTools.contains(span)) {
          problem(shown, "line " + (i + 1) + " names the tool '" + span + "', which Mason does not have");
        }
      }
      Matcher link = LINK.matcher(INLINE_CODE.matcher(line).replaceAll(""));
      while (link.find()) {
        String target = link.group(1);
        if (target.startsWith("#") || target.matches("[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
          continue;
        }
        int hash = target.indexOf('#');
        String path = Path.of(folder + (hash < 0 ? target : target.substring(0, hash))).normalize().toString().replace('\\', '/');
        if (target.startsWith("/") || !skill.files().contains(path)) {
          problem(shown, "line " + (i + 1) + " links " + target + ", which is not a file of this skill");
        } else {
          linked.add(path);
        }
      }
    }
    if (fence != null) {
      problem(shown, "the code block opened at line " + (blockStart - 1) + " is never closed");
    }
    return linked;
  }

  private void example(Skill skill, String file, int line, ExampleCheck check, String code) {
    String problem = check.problem(code);
    if (problem != null) {
      problem(skill.source().display(file), "the " + check.language() + " example at line " + line + " fails: " + problem);
    }
  }

  private String read(Skill skill, String file) {
    try {
      return skill.source().read(file).replace("\r\n", "\n");
    } catch (IOException e) {
      problem(skill.source().display(file), "cannot be read: " + e.getMessage());
      return null;
    }
  }

  private void problem(String file, String error) {
    problems.add(new SkillProblem(file, error));
  }
}
