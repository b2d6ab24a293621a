package dev.mason.skill;

/** A skill that breaks a rule; the message names the rule, the loader adds the file. */
final class SkillFormatException extends Exception {
  SkillFormatException(String rule) {
    super(rule);
  }
}
