package dev.mason.skill;

import java.util.Arrays;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML front matter of a SKILL.md and the Markdown body after it.
 *
 * <p>The front matter is read by a real YAML parser, so folded ({@code >-}) and literal
 * ({@code |}) descriptions, quoting and comments mean what YAML says. The parser only builds
 * plain maps, lists and scalars ({@link SafeConstructor}), refuses duplicate keys and is bounded
 * in size, nesting and aliases. Besides {@code name} and {@code description}, Mason reads two
 * optional lists: {@code aliases} (other names that select the skill, such as the short names of
 * the systems Mason replaces) and {@code tools} (the tools the skill claims: disabling the skill
 * in a project hides a tool that no enabled skill claims). Other keys (license, allowed-tools,
 * metadata, ...) are accepted and ignored.
 *
 * @param description stripped of surrounding whitespace
 * @param aliases empty when absent
 * @param tools empty when absent
 * @param body the Markdown after the closing {@code ---}, without leading blank lines
 */
record FrontMatter(String name, String description, List<String> aliases, List<String> tools, String body) {
  private static final int MAX_FRONT_MATTER_CHARS = 64 * 1024;

  /** Parses and validates a SKILL.md; the exception names the rule that was broken. */
  static FrontMatter parse(String text) throws SkillFormatException {
    String normalized = text.replace("\r\n", "\n").replace('\r', '\n');
    if (normalized.startsWith("\uFEFF")) {
      normalized = normalized.substring(1);
    }
    String[] lines = normalized.split("\n", -1);
    if (lines.length == 0 || !lines[0].strip().equals("---")) {
      throw new SkillFormatException("missing front matter: SKILL.md must start with a '---' line, "
          + "then 'name:' and 'description:', then a closing '---' line");
    }
    int close = -1;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.equals("---") || line.equals("...")) {
        close = i;
        break;
      }
    }
    if (close < 0) {
      throw new SkillFormatException("the front matter is not closed: no '---' line after the opening one");
    }
    String yaml = String.join("\n", Arrays.copyOfRange(lines, 1, close));
    String body = String.join("\n", Arrays.copyOfRange(lines, close + 1, lines.length))
        .replaceFirst("^\\s*\n", "");

    Map<?, ?> fields = fields(yaml);
    String name = text(fields, "name");
    String description = text(fields, "description").strip();
    String nameProblem = SkillRules.nameProblem(name);
    if (nameProblem != null) {
      throw new SkillFormatException(nameProblem);
    }
    String descriptionProblem = SkillRules.descriptionProblem(description);
    if (descriptionProblem != null) {
      throw new SkillFormatException(descriptionProblem);
    }
    List<String> aliases = names(fields, "aliases");
    for (String alias : aliases) {
      String aliasProblem = SkillRules.nameProblem(alias);
      if (aliasProblem != null) {
        throw new SkillFormatException("alias: " + aliasProblem);
      }
      if (alias.equals(name)) {
        throw new SkillFormatException("alias '" + alias + "' is the skill's own name");
      }
    }
    List<String> tools = names(fields, "tools");
    for (String tool : tools) {
      if (!SkillRules.isToolName(tool)) {
        throw new SkillFormatException("tools lists '" + tool + "', which is not a tool name (letters, digits and underscores)");
      }
    }
    return new FrontMatter(name, description, aliases, tools, body);
  }

  /** An optional list of texts ({@code key: [a, b]}, or one text); distinct, in order. */
  private static List<String> names(Map<?, ?> fields, String key) throws SkillFormatException {
    Object value = fields.get(key);
    if (value == null) {
      return List.of();
    }
    List<?> items = value instanceof List<?> list ? list : List.of(value);
    Set<String> names = new LinkedHashSet<>();
    for (Object item : items) {
      if (!(item instanceof String s) || s.isBlank()) {
        throw new SkillFormatException("'" + key + "' must be a list of names, not " + (item == null ? "an empty entry" : kind(item)));
      }
      names.add(s.strip());
    }
    return List.copyOf(names);
  }

  private static Map<?, ?> fields(String yaml) throws SkillFormatException {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    options.setAllowRecursiveKeys(false);
    options.setMaxAliasesForCollections(10);
    options.setNestingDepthLimit(20);
    options.setCodePointLimit(MAX_FRONT_MATTER_CHARS);
    DumperOptions dumper = new DumperOptions();
    // A new parser per call: SnakeYAML's Yaml is not thread-safe.
    Yaml parser = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options, new Resolver());
    Object loaded;
    try {
      loaded = parser.load(yaml);
    } catch (MarkedYAMLException e) {
      String where = e.getProblemMark() == null ? "" : " at front matter line " + (e.getProblemMark().getLine() + 1);
      throw new SkillFormatException("the front matter is not valid YAML" + where + ": " + e.getProblem());
    } catch (YAMLException e) {
      throw new SkillFormatException("the front matter is not valid YAML: " + firstLine(e.getMessage()));
    }
    if (loaded == null) {
      throw new SkillFormatException("the front matter is empty; it needs 'name' and 'description'");
    }
    if (!(loaded instanceof Map<?, ?> map)) {
      throw new SkillFormatException("the front matter must be YAML keys and values (name: ..., description: ...)");
    }
    return map;
  }

  private static String text(Map<?, ?> fields, String key) throws SkillFormatException {
    Object value = fields.get(key);
    if (value == null) {
      throw new SkillFormatException("the front matter has no '" + key + "'");
    }
    if (!(value instanceof String s)) {
      throw new SkillFormatException("'" + key + "' must be text, not " + kind(value));
    }
    return s;
  }

  private static String kind(Object value) {
    return switch (value) {
      case Number n -> "a number";
      case Boolean b -> "true/false";
      case Map<?, ?> m -> "a mapping";
      case List<?> l -> "a list";
      case Date d -> "a date";
      case String s -> "text";
      default -> "a " + value.getClass().getSimpleName();
    };
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unreadable";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
