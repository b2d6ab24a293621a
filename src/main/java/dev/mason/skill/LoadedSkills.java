package dev.mason.skill;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable reading of the skills: the valid ones by name (sorted), and what was left out.
 *
 * @param aliases every alias of a skill of {@code skills}, to that skill's name
 * @param overridden how many shipped skills a SKILLS_DIR skill replaced
 */
record LoadedSkills(Map<String, Skill> skills, Map<String, String> aliases, List<SkillProblem> problems, int overridden) {
  LoadedSkills {
    skills = Collections.unmodifiableMap(new TreeMap<>(skills));
    aliases = Map.copyOf(aliases);
    problems = List.copyOf(problems);
  }

  /** The skill's name for a name or an alias, or null when neither. */
  String resolve(String nameOrAlias) {
    return skills.containsKey(nameOrAlias) ? nameOrAlias : aliases.get(nameOrAlias);
  }
}
