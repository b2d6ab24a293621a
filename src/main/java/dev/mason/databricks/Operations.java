package dev.mason.databricks;

import dev.mason.agent.tool.Cancellation;
import dev.mason.agent.tool.ToolResult;
import dev.mason.web.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Tool calls that outlived their wait: each call runs on its own virtual thread; one still running
 * after {@code asyncAfter} is answered with an operation id and goes on, and its result is kept
 * for {@link #RETENTION} after it ends.
 *
 * <p>An operation belongs to the user who started it: {@link #find} with another user's name finds
 * nothing, exactly as for an id that never existed.
 *
 * <p>Thread-safe: operations live in a concurrent map; each operation's result is a
 * {@link CompletableFuture} completed once by its worker.
 */
final class Operations {
  static final Duration RETENTION = Duration.ofHours(1);
  /** After a stop, how long a call gets to wind down (cancel its statement, its run). */
  private static final Duration WIND_DOWN = Duration.ofSeconds(5);
  /** The most operations {@link #list} shows one user. */
  private static final int MAX_PER_USER = 200;

  /** One call that went to the background; {@code finished} completes, with the time, when the call ends. */
  record Operation(String id, String user, String tool, Instant started, CompletableFuture<ToolResult> result,
      CompletableFuture<Instant> finished) {
    boolean running() {
      return !result.isDone();
    }
  }

  private final Map<String, Operation> operations = new ConcurrentHashMap<>();
  private final AtomicLong threads = new AtomicLong();
  private final Clock clock;

  Operations(Clock clock) {
    this.clock = clock;
  }

  /**
   * Runs {@code work} and answers with its result if it ends within {@code asyncAfter}; otherwise
   * registers it for {@code user} and answers with an "async" result naming the operation.
   */
  ToolResult run(String user, String tool, Duration asyncAfter, Cancellation cancellation, Callable<ToolResult> work) {
    CompletableFuture<ToolResult> result = new CompletableFuture<>();
    CompletableFuture<Instant> finished = new CompletableFuture<>();
    Thread.ofVirtual().name("mason-tool-" + tool + "-" + threads.incrementAndGet()).start(() -> {
      try {
        result.complete(work.call());
      } catch (Throwable e) {
        result.completeExceptionally(e);
      } finally {
        finished.complete(clock.instant());
      }
    });
    CompletableFuture<Void> stopped = new CompletableFuture<>();
    cancellation.onCancel(() -> stopped.complete(null));
    try {
      CompletableFuture.anyOf(result, stopped).get(asyncAfter.toMillis(), TimeUnit.MILLISECONDS);
      if (!result.isDone()) {
        return result.get(WIND_DOWN.toMillis(), TimeUnit.MILLISECONDS);
      }
      return result.get();
    } catch (TimeoutException e) {
      if (stopped.isDone()) {
        return ToolResult.error(tool + " was stopped; it did not wind down within " + WIND_DOWN.toSeconds() + " s");
      }
      return ToolResult.ok(register(user, tool, result, finished));
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolResult.error(tool + " was interrupted");
    }
  }

  private String register(String user, String tool, CompletableFuture<ToolResult> result, CompletableFuture<Instant> finished) {
    purge();
    String id = "op-" + UUID.randomUUID().toString().substring(0, 13);
    Instant started = clock.instant();
    operations.put(id, new Operation(id, user, tool, started, result, finished));
    var body = Json.MAPPER.createObjectNode()
        .put("status", "async")
        .put("operation_id", id)
        .put("tool", tool)
        .put("message", tool + " is still running and continues in the background. Call check_operation_status "
            + "with this operation_id for its result; do not start it again.");
    return body.toPrettyString();
  }

  /** The user's operation, or empty when it does not exist, expired, or belongs to someone else. */
  Optional<Operation> find(String user, String id) {
    purge();
    return Optional.ofNullable(operations.get(id)).filter(op -> op.user().equals(user));
  }

  /** The user's operations, newest first. */
  List<Operation> list(String user) {
    purge();
    return operations.values().stream()
        .filter(op -> op.user().equals(user))
        .sorted(Comparator.comparing(Operation::started).reversed())
        .limit(MAX_PER_USER)
        .toList();
  }

  /** Drops operations that ended more than {@link #RETENTION} ago. */
  private void purge() {
    Instant cutoff = clock.instant().minus(RETENTION);
    operations.values().removeIf(op -> op.finished().isDone() && op.finished().join().isBefore(cutoff));
  }
}
