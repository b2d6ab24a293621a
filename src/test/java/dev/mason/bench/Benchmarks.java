package dev.mason.bench;

/** {@code ./mason bench <name>}: runs one of Mason's benchmarks, each printing its numbers. */
public final class Benchmarks {
  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    String name = args.length == 0 ? "agent" : args[0];
    switch (name) {
      case "agent" -> AgentBenchmark.main(new String[0]);
      case "gateway" -> GatewayBenchmark.run();
      case "claude-code" -> ClaudeCodeBenchmark.run();
      case "terminal" -> dev.mason.terminal.TerminalBenchmark.main(new String[0]);
      default -> {
        System.err.println("Unknown benchmark '" + name + "'. Known: agent (includes claude-code and gateway), claude-code, gateway, terminal");
        System.exit(2);
      }
    }
    // The MCP SDK's session sweeper runs on a non-daemon thread that outlives a closed server.
    System.exit(0);
  }
}
