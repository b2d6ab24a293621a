package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mason.testing.Eventually;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Stopping Mason tells clients, hangs every shell up and leaves no process behind. */
class TerminalShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Pattern PIDS = Pattern.compile("pids=(\\d+),(\\d+),(\\d+),(\\d+)");

  @Test
  void shutdownWarnsClientsAndLeavesNoShellOrJobBehind() {
    TerminalMason mason = TerminalMason.start();
    List<Long> pids = new ArrayList<>();
    SocketClient socket = SocketClient.connect(mason, TerminalMason.OWNER);
    try {
      for (int i = 0; i < 2; i++) {
        String id = mason.newSession();
        var poller = new Poller(mason.owner(), id, "tab", 0, null);
        // A background job, one that ignores hang-ups, and one in its own process group via nohup; then a foreground one.
        mason.input(id, "sleep 1001 & a=$!; (trap '' HUP; exec sleep 1002) & b=$!; nohup sleep 1003 >/dev/null 2>&1 & c=$!;"
            + " echo pids=$$,$a,$b,$c; sleep 1004\r");
        Eventually.await(WAIT, "the shell to print its pids", () -> {
          poller.poll();
          return PIDS.matcher(poller.text()).find();
        });
        Matcher matcher = PIDS.matcher(poller.text());
        assertThat(matcher.find()).isTrue();
        for (int g = 1; g <= 4; g++) {
          pids.add(Long.parseLong(matcher.group(g)));
        }
        if (i == 0) {
          socket.join(id);
        }
      }
      assertThat(pids).allMatch(TerminalShutdownTest::running);
    } finally {
      long started = System.nanoTime();
      mason.close();
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
    assertThat(socket.awaitMessage("shutting_down", WAIT)).isNotNull();
    Eventually.await(WAIT, "every shell and job to be gone: " + pids,
        () -> pids.stream().noneMatch(TerminalShutdownTest::running));
  }

  /** Alive and not a zombie waiting for init to reap it (slow in some containers). */
  private static boolean running(long pid) {
    return ProcessHandle.of(pid).map(SessionProcesses::running).orElse(false);
  }
}
