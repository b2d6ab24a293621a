package dev.mason.terminal;

import java.util.Map;

/**
 * What another room adds to each new shell: the model gateway gives it a session secret and the
 * variables that point its CLIs at Mason. {@link #close} is called once when the session's shell
 * has ended, and from then on nothing {@link #open} gave it may work.
 */
public interface ShellWiring {
  ShellWiring NONE = new ShellWiring() {
    @Override
    public Map<String, String> open(String sessionId) {
      return Map.of();
    }

    @Override
    public void close(String sessionId) {}
  };

  /** Variables for the new shell of {@code sessionId}; they win over the inherited ones. */
  Map<String, String> open(String sessionId);

  void close(String sessionId);
}
