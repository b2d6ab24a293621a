package dev.mason.clis;

import java.util.Arrays;
import java.util.Optional;

/**
 * The coding-agent CLIs Mason's terminals offer: each one's npm package (its version pinned in
 * {@code clis/package.json}), the command it installs, and the name the page shows.
 */
public enum Cli {
  CLAUDE("claude", "Claude Code", "@anthropic-ai/claude-code", "claude"),
  CODEX("codex", "Codex", "@openai/codex", "codex"),
  GEMINI("gemini", "Gemini CLI", "@google/gemini-cli", "gemini"),
  OPENCODE("opencode", "OpenCode", "opencode-ai", "opencode");

  private final String id;
  private final String label;
  private final String npmPackage;
  private final String command;

  Cli(String id, String label, String npmPackage, String command) {
    this.id = id;
    this.label = label;
    this.npmPackage = npmPackage;
    this.command = command;
  }

  /** The step id in {@code /api/setup-status} and the {@code cli} of a new terminal. */
  public String id() {
    return id;
  }

  public String label() {
    return label;
  }

  public String npmPackage() {
    return npmPackage;
  }

  /** The executable in {@code node_modules/.bin}. */
  public String command() {
    return command;
  }

  public static Optional<Cli> byId(String id) {
    return Arrays.stream(values()).filter(c -> c.id.equals(id)).findFirst();
  }
}
