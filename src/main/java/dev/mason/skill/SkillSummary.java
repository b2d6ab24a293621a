package dev.mason.skill;

import java.util.List;

/**
 * A skill as the system prompt lists it: the model picks skills by name and description.
 *
 * @param aliases the other names that select the skill
 */
public record SkillSummary(String name, String description, List<String> aliases) {
  public SkillSummary {
    aliases = List.copyOf(aliases);
  }
}
