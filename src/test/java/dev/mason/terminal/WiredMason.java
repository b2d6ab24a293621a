package dev.mason.terminal;

import dev.mason.databricks.FakeWorkspace;
import dev.mason.testing.Eventually;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake workspace that knows the owner's token, and a {@link TerminalMason} wired to it with that
 * token in its environment, started once a first rotated token is minted: the shells' gateway,
 * metadata service and MCP are live. Rotation every 60 s unless {@code env} says otherwise.
 */
record WiredMason(FakeWorkspace workspace, TerminalMason mason) implements AutoCloseable {
  static WiredMason start(String ownerToken, Map<String, String> env) {
    FakeWorkspace workspace = FakeWorkspace.start().addUser(ownerToken, TerminalMason.OWNER);
    Map<String, String> all = new HashMap<>(Map.of("DATABRICKS_HOST", workspace.url(), "DATABRICKS_TOKEN", ownerToken,
        "PAT_ROTATION_INTERVAL", "60", "PAT_TOKEN_LIFETIME", "120"));
    all.putAll(env);
    TerminalMason mason = TerminalMason.start(all);
    Eventually.await(Duration.ofSeconds(30), "a first rotated token", () -> !workspace.tokens().minted().isEmpty());
    return new WiredMason(workspace, mason);
  }

  @Override
  public void close() {
    mason.close();
    workspace.close();
  }
}
