package dev.mason.skill;

/** A skill as the system prompt lists it: the model picks skills by these two lines. */
public record SkillSummary(String name, String description) {}
