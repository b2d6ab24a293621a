package dev.mason.skill;

import dev.mason.env.ConfigException;
import dev.mason.env.Env;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The skill room's configuration.
 *
 * @param skillsDir {@code SKILLS_DIR}: a folder of skill folders, each with a SKILL.md, added to
 *     the skills shipped with Mason (a skill here overrides a shipped one of the same name); null
 *     when unset. Absolute and normalised.
 * @param enabledSkills {@code ENABLED_SKILLS}: the only skills the catalog keeps, as a
 *     comma-separated list of names; null when unset (every valid skill is kept)
 */
public record SkillSettings(Path skillsDir, Set<String> enabledSkills) {
  public static final SkillSettings DEFAULTS = new SkillSettings(null, null);

  public SkillSettings {
    if (skillsDir != null) {
      skillsDir = skillsDir.toAbsolutePath().normalize();
    }
    if (enabledSkills != null) {
      for (String name : enabledSkills) {
        if (!SkillRules.isName(name)) {
          throw new ConfigException("ENABLED_SKILLS", "lists '" + name + "', which is not a skill name "
              + "(lowercase letters, digits and hyphens, at most " + SkillRules.MAX_NAME_LENGTH + " characters)");
        }
      }
      enabledSkills = Collections.unmodifiableSet(new LinkedHashSet<>(enabledSkills));
    }
  }

  /**
   * Reads SKILLS_DIR and ENABLED_SKILLS. A set SKILLS_DIR must be an existing folder (a typo
   * should stop start-up, not silently hide the skills); blank values count as unset; empty
   * entries of ENABLED_SKILLS ({@code a,,b}) are skipped.
   *
   * @throws ConfigException naming the variable and the rule
   */
  public static SkillSettings fromEnv(Map<String, String> env) {
    Env vars = Env.of(env);
    Path dir = null;
    String rawDir = vars.text("SKILLS_DIR");
    if (rawDir != null) {
      try {
        dir = Path.of(rawDir);
      } catch (InvalidPathException e) {
        throw new ConfigException("SKILLS_DIR", "is not a valid path: " + e.getReason());
      }
      if (!Files.isDirectory(dir)) {
        throw new ConfigException("SKILLS_DIR", "must be an existing folder, was '" + rawDir + "'");
      }
    }
    Set<String> enabled = null;
    String rawEnabled = vars.text("ENABLED_SKILLS");
    if (rawEnabled != null) {
      List<String> names = new ArrayList<>();
      for (String part : rawEnabled.split(",")) {
        if (!part.isBlank()) {
          names.add(part.strip());
        }
      }
      enabled = new LinkedHashSet<>(names);
    }
    return new SkillSettings(dir, enabled);
  }
}
