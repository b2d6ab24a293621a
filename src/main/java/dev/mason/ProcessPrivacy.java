package dev.mason;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps other processes of Mason's own user out of Mason's process on Linux: marked not
 * dumpable ({@code prctl(PR_SET_DUMPABLE, 0)}), its {@code /proc/<pid>/environ} and memory belong
 * to root, and it cannot be traced. On Databricks Apps the platform hands Mason the app's
 * service-principal secret in its environment, where a terminal's shell, which runs as the same
 * user, could otherwise read it. Processes Mason starts are dumpable again once they exec.
 *
 * <p>The cost: {@code jcmd}, {@code jstack} and debuggers attach to Mason only as root. Root, and
 * anything with {@code CAP_SYS_PTRACE}, can still read it.
 */
final class ProcessPrivacy {
  private static final Logger log = LoggerFactory.getLogger(ProcessPrivacy.class);
  private static final int PR_SET_DUMPABLE = 4;
  private static final int PR_GET_DUMPABLE = 3;

  private ProcessPrivacy() {}

  private interface C extends Library {
    int prctl(int option, long arg2, long arg3, long arg4, long arg5);
  }

  /** @return whether Mason is now closed to inspection; false off Linux or when the call fails (logged) */
  static boolean forbidInspection() {
    if (!Platform.isLinux()) {
      return false;
    }
    try {
      C c = Native.load(Platform.C_LIBRARY_NAME, C.class);
      if (c.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0 || c.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) != 0) {
        log.warn("Could not keep other processes out of Mason's environment (prctl failed)");
        return false;
      }
      return true;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      log.warn("Could not keep other processes out of Mason's environment: {}", e.toString());
      return false;
    }
  }
}
