package dev.mason.skill;

import java.util.List;

/**
 * One valid skill of the catalog.
 *
 * @param body the Markdown instructions of SKILL.md, front matter removed
 * @param files every file of the skill relative to its folder, {@code /}-separated and sorted,
 *     SKILL.md included
 */
record Skill(String name, String description, String body, List<String> files, SkillSource source) {
  static final String MAIN_FILE = "SKILL.md";

  Skill {
    files = List.copyOf(files);
  }

  /** The files other than SKILL.md: references, examples, scripts. */
  List<String> otherFiles() {
    return files.stream().filter(f -> !f.equals(MAIN_FILE)).toList();
  }

  SkillSummary summary() {
    return new SkillSummary(name, description);
  }
}
