package dev.mason.terminal;

import dev.mason.common.Refusal;

/**
 * What starts a coding-agent CLI in a new terminal, given by the room that installs them. The
 * terminal room only types the command into the new shell, so when the CLI exits the owner is
 * back at a prompt in the same folder.
 */
@FunctionalInterface
public interface CliLauncher {
  CliLauncher NONE = cli -> {
    throw Refusal.badRequest("cli", "no coding-agent CLIs are set up in this Mason");
  };

  /**
   * The command line that starts {@code cli}.
   *
   * @throws Refusal 400 naming the field for an unknown CLI, 409 saying its state while it is not ready
   */
  String command(String cli);
}
