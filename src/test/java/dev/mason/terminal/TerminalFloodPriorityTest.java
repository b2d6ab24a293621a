package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mason.testing.Eventually;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A terminal that floods output runs at a lower priority while it does, and gets its priority back
 * once it calms down; Mason's own scheduling group is never touched. Observed in
 * {@code /proc/<shell pid>/autogroup}, so only where the kernel has autogroups.
 */
class TerminalFloodPriorityTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @Test
  void aFloodingTerminalIsLoweredWhileItFloodsAndRestoredAfter() {
    try (TerminalMason mason = TerminalMason.start(Map.of("TERMINAL_FLOOD_NICE", "17"))) {
      String flood = mason.newSession();
      String quiet = mason.newSession();
      Path group = group(mason, flood);
      String masons = read(Path.of("/proc/self/autogroup"));
      assertThat(read(group)).endsWith(" nice 0\n");

      mason.input(flood, "yes\r");
      Eventually.await(WAIT, "the flooding terminal to be lowered", () -> read(group).endsWith(" nice 17\n"));
      assertThat(read(group(mason, quiet))).as("a quiet terminal keeps its priority").endsWith(" nice 0\n");
      assertThat(read(Path.of("/proc/self/autogroup"))).as("Mason's own group").isEqualTo(masons);

      mason.input(flood, "\u0003");
      Eventually.await(WAIT, "the calm terminal to get its priority back", () -> read(group).endsWith(" nice 0\n"));
    }
  }

  @Test
  void niceZeroLeavesAFloodingTerminalAlone() throws InterruptedException {
    try (TerminalMason mason = TerminalMason.start(Map.of("TERMINAL_FLOOD_NICE", "0"))) {
      String flood = mason.newSession();
      Path group = group(mason, flood);
      long from = mason.status(flood).get("output_offset").asLong();
      mason.input(flood, "yes\r");
      Eventually.await(WAIT, "a flood of output", () -> mason.status(flood).get("output_offset").asLong() > from + 32L * 1024 * 1024);
      assertThat(read(group)).endsWith(" nice 0\n");
      mason.input(flood, "\u0003");
    }
  }

  private static Path group(TerminalMason mason, String id) {
    Path group = Path.of("/proc/" + mason.status(id).get("pid").asLong() + "/autogroup");
    assumeTrue(Files.exists(group), "this kernel has no scheduling autogroups");
    return group;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
