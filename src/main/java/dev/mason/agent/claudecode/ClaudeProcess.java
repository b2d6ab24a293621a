package dev.mason.agent.claudecode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ProcessTree;
import dev.mason.web.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Claude Code CLI process, headless, speaking stream-json on stdin and stdout, kept alive
 * between the messages of its conversation.
 *
 * <p>A virtual thread reads stdout line by line into {@code lines}; a second keeps the last few KB
 * of stderr for error messages. Writes to stdin are serialised by {@code writeLock} (a message and
 * an interrupt may come from different threads). {@code lastUsed} is volatile: the idle reaper reads it.
 */
final class ClaudeProcess implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClaudeProcess.class);
  private static final int STDERR_KEEP = 4_096;
  /** The end of stdout, in {@code lines}. */
  static final JsonNode EOF = Json.MAPPER.createObjectNode().put("type", "mason_eof");

  private final ProcessTree tree;
  private final OutputStream stdin;
  private final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
  private final StringBuilder stderr = new StringBuilder();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicInteger requests = new AtomicInteger();
  /** What the process was started with; a message needing other settings gets a new process. */
  private final String fingerprint;
  private final Path folder;
  private volatile Instant lastUsed = Instant.now();
  /** The CLI's session, once known: the one resumed, or the one its first message started. */
  private volatile String session;

  private ClaudeProcess(ProcessTree tree, String fingerprint, Path folder) {
    this.tree = tree;
    this.fingerprint = fingerprint;
    this.folder = folder;
    this.stdin = tree.process().getOutputStream();
    String id = Long.toString(tree.process().pid());
    Thread.ofVirtual().name("claude-code-stdout-" + id).start(() -> readLines(tree.process().getInputStream()));
    Thread.ofVirtual().name("claude-code-stderr-" + id).start(() -> keepStderr(tree.process().getErrorStream()));
  }

  static ClaudeProcess start(List<String> command, Path folder, Map<String, String> env, String fingerprint) throws IOException {
    ProcessBuilder builder = new ProcessBuilder().directory(folder.toFile());
    // Only what Mason decides: never Mason's own environment, which holds its secrets.
    builder.environment().clear();
    builder.environment().putAll(env);
    return new ClaudeProcess(ProcessTree.start(builder, command), fingerprint, folder);
  }

  Path folder() {
    return folder;
  }

  String session() {
    return session;
  }

  /** Records the session this process runs; null leaves it as it was. */
  void session(String id) {
    if (id != null) {
      session = id;
    }
  }

  /** Closes stdin, which the CLI takes as the end of the conversation, and waits up to {@code wait} for it to exit. */
  void endInput(Duration wait) {
    try {
      stdin.close();
      tree.process().waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      log.debug("Claude Code process {}: closing its input failed: {}", pid(), e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  String fingerprint() {
    return fingerprint;
  }

  long pid() {
    return tree.process().pid();
  }

  boolean alive() {
    return tree.process().isAlive();
  }

  Instant lastUsed() {
    return lastUsed;
  }

  void touch() {
    lastUsed = Instant.now();
  }

  /** Sends a user message: {@code {"type":"user","message":{"role":"user","content":[{"type":"text",...}]}}}. */
  void sendUserMessage(String text) throws IOException {
    ObjectNode line = Json.MAPPER.createObjectNode().put("type", "user");
    ObjectNode message = line.putObject("message").put("role", "user");
    message.putArray("content").addObject().put("type", "text").put("text", text);
    line.putNull("parent_tool_use_id");
    write(line);
  }

  /**
   * Asks the CLI to stop the message in progress, as the Agent SDK does: a {@code control_request}
   * with subtype {@code interrupt}; the CLI answers with a {@code control_response} and ends the
   * message with an error {@code result}.
   */
  void interrupt() {
    ObjectNode line = Json.MAPPER.createObjectNode().put("type", "control_request")
        .put("request_id", "req_" + requests.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8));
    line.putObject("request").put("subtype", "interrupt");
    try {
      write(line);
    } catch (IOException e) {
      log.debug("Claude Code process {}: the interrupt could not be sent: {}", pid(), e.toString());
    }
  }

  private void write(JsonNode line) throws IOException {
    writeLock.lock();
    try {
      stdin.write((Json.write(line) + "\n").getBytes(StandardCharsets.UTF_8));
      stdin.flush();
    } finally {
      writeLock.unlock();
    }
  }

  /** The next line, waiting up to {@code wait}; null when none came; {@link #EOF} once stdout has ended. */
  JsonNode next(Duration wait) throws InterruptedException {
    JsonNode line = lines.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    if (line == EOF) {
      lines.add(EOF); // every later read sees the end too
    }
    return line;
  }

  /** Drops lines left from an earlier message (such as the answer to an interrupt). */
  void drain() {
    lines.removeIf(line -> line != EOF);
  }

  /** The last lines the CLI wrote to stderr, for an error message. */
  String stderrTail() {
    synchronized (stderr) {
      return stderr.toString().strip();
    }
  }

  private void readLines(InputStream out) {
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          lines.add(Json.MAPPER.readTree(line));
        } catch (IOException notJson) {
          log.debug("Claude Code process {}: a line that is not JSON: {}", pid(), line.length() > 200 ? line.substring(0, 200) : line);
        }
      }
    } catch (IOException e) {
      log.debug("Claude Code process {}: stdout broke: {}", pid(), e.toString());
    } finally {
      lines.add(EOF);
    }
  }

  private void keepStderr(InputStream err) {
    byte[] buffer = new byte[1024];
    try (err) {
      int n;
      while ((n = err.read(buffer)) > 0) {
        synchronized (stderr) {
          stderr.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          if (stderr.length() > STDERR_KEEP) {
            stderr.delete(0, stderr.length() - STDERR_KEEP);
          }
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  /** Kills the process and everything it started (its Bash commands, MCP servers, subagents). */
  @Override
  public void close() {
    tree.kill();
    try {
      if (!tree.process().waitFor(2, TimeUnit.SECONDS)) {
        log.warn("Claude Code process {} did not end within 2 s of SIGKILL", pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
