package dev.mason.agent.tool;

import java.nio.file.Path;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Where the agent's Bash commands run, decided once at start-up from {@link BashMode}. */
public sealed interface BashShell {
  /** As Mason's own user, with Mason's view of the machine. */
  record Host() implements BashShell {}

  /** In the bubblewrap sandbox. */
  record Sandboxed(BashSandbox sandbox) implements BashShell {}

  /** The sandbox was asked for but cannot start: every command is refused with {@code problem}. */
  record Unavailable(String problem) implements BashShell {}

  /** No Bash tool at all. */
  record Off() implements BashShell {}

  /**
   * @param hidden folders the sandbox must never show (see {@link BashSandbox#probe})
   */
  public static BashShell forMode(BashMode mode, List<Path> hidden) {
    return switch (mode) {
      case HOST -> new Host();
      case OFF -> new Off();
      case SANDBOX -> {
        BashSandbox.Probe probe = BashSandbox.probe(hidden);
        if (probe.sandbox() != null) {
          yield new Sandboxed(probe.sandbox());
        }
        LoggerFactory.getLogger(BashShell.class).warn("The agent's Bash is off: {}", probe.problem());
        yield new Unavailable(probe.problem());
      }
    };
  }
}
