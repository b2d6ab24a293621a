package dev.mason.skill;

/**
 * Why something was left out of the catalog.
 *
 * @param file the file at fault, named relative to its source ({@code SKILLS_DIR/x/SKILL.md},
 *     {@code shipped:skills/x/SKILL.md}) or the variable ({@code ENABLED_SKILLS}); never an
 *     absolute server path
 * @param error the rule that was broken
 */
public record SkillProblem(String file, String error) {
  @Override
  public String toString() {
    return file + ": " + error;
  }
}
