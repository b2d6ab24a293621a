package dev.mason.skill;

import java.util.regex.Pattern;

/**
 * The rules a skill's front matter must follow, shared by the loader and {@link SkillSettings}.
 *
 * <p>A name is 1 to 64 lowercase letters, digits and hyphens, with no hyphen at either end and no
 * two in a row (the agent-skills convention; such names are also safe path segments and tool
 * arguments). A description is 1 to 1024 characters once surrounding whitespace is removed.
 */
final class SkillRules {
  static final int MAX_NAME_LENGTH = 64;
  static final int MAX_DESCRIPTION_LENGTH = 1024;
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");
  /** Tool names as the model APIs accept them (Read, execute_sql), at most 64 characters. */
  private static final Pattern TOOL_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,63}");

  private SkillRules() {}

  static boolean isName(String name) {
    return name != null && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
  }

  static boolean isToolName(String name) {
    return name != null && TOOL_NAME.matcher(name).matches();
  }

  /** Why {@code name} is not a skill name, or null when it is one. */
  static String nameProblem(String name) {
    if (name.isEmpty()) {
      return "name is empty";
    }
    if (name.length() > MAX_NAME_LENGTH) {
      return "name has " + name.length() + " characters; the limit is " + MAX_NAME_LENGTH;
    }
    if (!NAME.matcher(name).matches()) {
      return "name '" + name + "' must be lowercase letters, digits and single hyphens (not at either end)";
    }
    return null;
  }

  /** Why {@code description} (already stripped) is not acceptable, or null when it is. */
  static String descriptionProblem(String description) {
    if (description.isEmpty()) {
      return "description is empty; say what the skill does and when to use it";
    }
    int length = description.codePointCount(0, description.length());
    if (length > MAX_DESCRIPTION_LENGTH) {
      return "description has " + length + " characters; the limit is " + MAX_DESCRIPTION_LENGTH;
    }
    return null;
  }
}
