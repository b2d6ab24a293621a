package dev.mason.agent.tool;

import dev.mason.identity.Caller;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
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
   * On the host for Mason's local user, and as {@code others} (the sandbox, or unavailable) for
   * anyone else, such as another person reaching a local Mason with their own bearer token.
   */
  record HostForLocalUser(Predicate<Caller> isLocalUser, BashShell others) implements BashShell {}

  /** Where {@code caller}'s command runs: never {@link HostForLocalUser} or {@link Off}. */
  default BashShell forCaller(Caller caller) {
    return this instanceof HostForLocalUser split ? (split.isLocalUser().test(caller) ? new Host() : split.others()) : this;
  }

  /**
   * @param hidden folders the sandbox must never show (see {@link BashSandbox#probe})
   * @param isLocalUser whether a caller is the local user, for {@link BashMode#AUTO}
   */
  static BashShell forMode(BashMode mode, List<Path> hidden, Predicate<Caller> isLocalUser) {
    return switch (mode) {
      case HOST -> new Host();
      case OFF -> new Off();
      case SANDBOX -> sandbox(hidden);
      case AUTO -> new HostForLocalUser(isLocalUser, sandbox(hidden));
    };
  }

  private static BashShell sandbox(List<Path> hidden) {
    BashSandbox.Probe probe = BashSandbox.probe(hidden);
    if (probe.sandbox() != null) {
      return new Sandboxed(probe.sandbox());
    }
    LoggerFactory.getLogger(BashShell.class).warn("The agent's Bash is off for users who need the sandbox: {}", probe.problem());
    return new Unavailable(probe.problem());
  }
}
