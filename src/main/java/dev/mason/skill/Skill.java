package dev.mason.skill;

import java.util.List;

/**
 * One valid skill of the catalog.
 *
 * @param aliases other names that select this skill (in ENABLED_SKILLS, a project's choice, the
 *     Skill tool); no other skill of the catalog has them as name or alias
 * @param tools the tools this skill claims (see {@link SkillCatalog#hiddenTools})
 * @param body the Markdown instructions of SKILL.md, front matter removed
 * @param files every file of the skill relative to its folder, {@code /}-separated and sorted,
 *     SKILL.md included
 */
record Skill(String name, String description, List<String> aliases, List<String> tools, String body,
    List<String> files, SkillSource source) {
  static final String MAIN_FILE = "SKILL.md";

  Skill {
    aliases = List.copyOf(aliases);
    tools = List.copyOf(tools);
    files = List.copyOf(files);
  }

  Skill withAliases(List<String> replaced) {
    return new Skill(name, description, replaced, tools, body, files, source);
  }

  /** The files other than SKILL.md: references, examples, scripts. */
  List<String> otherFiles() {
    return files.stream().filter(f -> !f.equals(MAIN_FILE)).toList();
  }

  SkillSummary summary() {
    return new SkillSummary(name, description, aliases);
  }
}
