package dev.mason.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The workspace token the bridge presents: {@code DATABRICKS_TOKEN} when set, else what the
 * Databricks CLI hands out ({@code databricks auth token}, with {@code --profile} when a profile is
 * named), which it refreshes itself. The token is never printed.
 *
 * <p>Thread-safe: the cached token is guarded by {@code lock}, so concurrent requests that all
 * got 401 run the CLI once.
 */
final class BridgeToken {
  static final long CLI_TIMEOUT_SECONDS = 60;

  private final String fromEnvironment;
  private final String profile;
  private final ReentrantLock lock = new ReentrantLock();
  private String cached;

  /** A failure to obtain a token, with a message fit for the client and the log. */
  static final class Unavailable extends Exception {
    Unavailable(String message) {
      super(message);
    }
  }

  /** @param profile the CLI profile to use, or null for the CLI's default */
  BridgeToken(Map<String, String> env, String profile) {
    String token = env.get("DATABRICKS_TOKEN");
    this.fromEnvironment = token == null || token.isBlank() ? null : token.trim();
    this.profile = profile;
  }

  String source() {
    return fromEnvironment != null ? "DATABRICKS_TOKEN" : "the Databricks CLI" + (profile == null ? "" : " (profile " + profile + ")");
  }

  /** The token to send. */
  String current() throws Unavailable {
    if (fromEnvironment != null) {
      return fromEnvironment;
    }
    lock.lock();
    try {
      if (cached == null) {
        cached = fromCli();
      }
      return cached;
    } finally {
      lock.unlock();
    }
  }

  /**
   * A fresh token after {@code rejected} was refused: the CLI is asked again (it refreshes expired
   * OAuth tokens); {@code DATABRICKS_TOKEN} cannot be refreshed and is returned as it is.
   */
  String refresh(String rejected) throws Unavailable {
    if (fromEnvironment != null) {
      return fromEnvironment;
    }
    lock.lock();
    try {
      if (cached == null || cached.equals(rejected)) {
        cached = fromCli();
      }
      return cached;
    } finally {
      lock.unlock();
    }
  }

  private String fromCli() throws Unavailable {
    List<String> command = new ArrayList<>(List.of("databricks", "auth", "token"));
    if (profile != null) {
      command.addAll(List.of("--profile", profile));
    }
    Process process;
    try {
      process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    } catch (IOException e) {
      throw new Unavailable("no token: DATABRICKS_TOKEN is not set and the Databricks CLI could not be run ("
          + e.getMessage() + "); install it and run `databricks auth login`, or set DATABRICKS_TOKEN");
    }
    try {
      process.getOutputStream().close();
      // Both streams are drained as the CLI writes, so a full pipe cannot stall it.
      FutureTask<byte[]> out = drain(process.getInputStream(), "stdout");
      FutureTask<byte[]> err = drain(process.getErrorStream(), "stderr");
      if (!process.waitFor(CLI_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new Unavailable("`databricks auth token` did not answer within " + CLI_TIMEOUT_SECONDS + " s");
      }
      if (process.exitValue() != 0) {
        String reason = new String(err.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8).lines()
            .filter(l -> !l.isBlank()).findFirst().orElse("no message");
        throw new Unavailable("`databricks auth token` failed (exit " + process.exitValue() + "): " + reason
            + "; run `databricks auth login`" + (profile == null ? "" : " --profile " + profile));
      }
      JsonNode json = McpTools.WIRE.readTree(out.get(5, TimeUnit.SECONDS));
      String token = json.path("access_token").asText("");
      if (token.isBlank()) {
        throw new Unavailable("`databricks auth token` answered without an access_token");
      }
      return token;
    } catch (IOException | ExecutionException | TimeoutException e) {
      // Not e's message: a JSON parser quotes what it read, and that may be a token.
      throw new Unavailable("the answer of `databricks auth token` was not JSON with an access_token ("
          + e.getClass().getSimpleName() + ")");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new Unavailable("interrupted while waiting for `databricks auth token`");
    }
  }

  private static FutureTask<byte[]> drain(InputStream stream, String name) {
    FutureTask<byte[]> task = new FutureTask<>(stream::readAllBytes);
    Thread.ofVirtual().name("databricks-cli-" + name).start(task);
    return task;
  }
}
