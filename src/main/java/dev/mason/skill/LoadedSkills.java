package dev.mason.skill;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One immutable reading of the skills: the valid ones by name (sorted), and what was left out.
 *
 * @param overridden how many shipped skills a SKILLS_DIR skill replaced
 */
record LoadedSkills(Map<String, Skill> skills, List<SkillProblem> problems, int overridden) {
  LoadedSkills {
    skills = Collections.unmodifiableMap(new TreeMap<>(skills));
    problems = List.copyOf(problems);
  }
}
