package dev.mason.terminal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What another room adds to each new shell: the model gateway gives it a session secret and the
 * variables that point its CLIs at Mason. {@link #close} is called once when the session's shell
 * has ended, and from then on nothing {@link #open} gave it may work.
 */
public interface ShellWiring {
  /** A variable a wiring may set: the folder to put first on the shell's PATH, after its login profile has run. */
  String PATH_FIRST = "MASON_PATH_FIRST";

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

  /** Each wiring's variables in turn (a later one wins a name both set); closed in reverse. */
  static ShellWiring all(ShellWiring... wirings) {
    List<ShellWiring> list = List.of(wirings);
    return new ShellWiring() {
      @Override
      public Map<String, String> open(String sessionId) {
        Map<String, String> env = new LinkedHashMap<>();
        list.forEach(w -> env.putAll(w.open(sessionId)));
        return env;
      }

      @Override
      public void close(String sessionId) {
        list.reversed().forEach(w -> w.close(sessionId));
      }
    };
  }
}
