package dev.mason.agent.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.agent.message.ContentBlock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the tool calls of one model turn and returns one result per call, in the order of the
 * calls, whatever happens: the model's API requires a tool_result for every tool_use.
 *
 * <p><b>Order and concurrency.</b> The calls are taken in order and split into steps: each run of
 * consecutive read-only calls ({@link Tool#readOnly()}) is one step whose calls run concurrently,
 * each on its own virtual thread; every other call is a step of its own. A step starts when the
 * one before it has finished. So in {@code [Read a, Grep x, Edit a, Read a]} the first two run
 * together, the Edit runs alone after both, and the last Read sees the edit.
 *
 * <p><b>Failures.</b> An unknown tool, input that does not fit the tool's schema (checked for
 * every tool, at every depth the schema describes), a {@link ToolFailure}, an exception, a call
 * that outlives {@link #MAX_CALL_TIME} and a call not started because the run was cancelled all
 * become error results with a short message. Exceptions are logged with the execution id and
 * their stack trace; the model sees only their type and message, with the caller's token masked.
 *
 * <p>Thread-safe and stateless between calls: one dispatcher may serve many runs at once.
 */
public final class ToolDispatcher {
  private static final Logger log = LoggerFactory.getLogger(ToolDispatcher.class);
  /** Above Bash's longest timeout, so that only a stuck tool ever reaches it. */
  public static final Duration MAX_CALL_TIME = Duration.ofMinutes(15);

  private final Map<String, Tool> tools = new LinkedHashMap<>();

  /** @throws IllegalArgumentException when two tools have the same name */
  public ToolDispatcher(List<? extends Tool> tools) {
    for (Tool tool : tools) {
      if (this.tools.putIfAbsent(tool.name(), tool) != null) {
        throw new IllegalArgumentException("two tools are named '" + tool.name() + "'");
      }
    }
  }

  public List<Tool> tools() {
    return List.copyOf(tools.values());
  }

  /** Runs {@code calls} as described above; the results are in the same order. */
  public List<ContentBlock.ToolResult> run(ToolContext context, List<ContentBlock.ToolUse> calls) {
    return run(context, calls, (result, duration) -> {});
  }

  /** Receives each result as soon as it and every earlier one are known, with the call's duration. */
  @FunctionalInterface
  public interface ResultListener {
    void onResult(ContentBlock.ToolResult result, Duration duration);
  }

  /**
   * Runs {@code calls} as described above, telling {@code listener} about each result in call
   * order as soon as it is known; the results are in the same order.
   */
  public List<ContentBlock.ToolResult> run(ToolContext context, List<ContentBlock.ToolUse> calls, ResultListener listener) {
    List<ContentBlock.ToolResult> results = new ArrayList<>(calls.size());
    int next = 0;
    while (next < calls.size()) {
      int end = next + 1;
      if (isReadOnly(calls.get(next))) {
        while (end < calls.size() && isReadOnly(calls.get(end))) {
          end++;
        }
      }
      results.addAll(runStep(context, calls.subList(next, end), listener));
      next = end;
    }
    return results;
  }

  private boolean isReadOnly(ContentBlock.ToolUse call) {
    Tool tool = tools.get(call.name());
    return tool == null || tool.readOnly();
  }

  private List<ContentBlock.ToolResult> runStep(ToolContext context, List<ContentBlock.ToolUse> step, ResultListener listener) {
    List<FutureTask<ToolResult>> tasks = new ArrayList<>();
    long[] finished = new long[step.size()];
    long started = System.nanoTime();
    for (int i = 0; i < step.size(); i++) {
      ContentBlock.ToolUse call = step.get(i);
      int index = i;
      FutureTask<ToolResult> task = new FutureTask<>(() -> {
        try {
          return runOne(context, call);
        } finally {
          finished[index] = System.nanoTime();
        }
      });
      tasks.add(task);
      // A thread even for a lone call, so that MAX_CALL_TIME bounds every call.
      Thread.ofVirtual().name("tool-" + call.name() + "-" + call.id()).start(task);
    }
    long deadline = System.nanoTime() + MAX_CALL_TIME.toNanos();
    List<ContentBlock.ToolResult> results = new ArrayList<>();
    for (int i = 0; i < step.size(); i++) {
      ContentBlock.ToolUse call = step.get(i);
      ToolResult result = await(context, call, tasks.get(i), deadline);
      long end = finished[i] == 0 ? System.nanoTime() : finished[i];
      Duration took = Duration.ofNanos(end - started);
      var block = new ContentBlock.ToolResult(call.id(), result.content(), result.isError(), took.toMillis());
      results.add(block);
      listener.onResult(block, took);
    }
    return results;
  }

  private static ToolResult await(ToolContext context, ContentBlock.ToolUse call, FutureTask<ToolResult> task, long deadline) {
    try {
      return task.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      task.cancel(true);
      log.warn("execution {}: tool {} ({}) did not finish within {}; interrupted", context.executionId(), call.name(), call.id(), MAX_CALL_TIME);
      return ToolResult.error(call.name() + " did not finish within " + MAX_CALL_TIME.toMinutes() + " minutes and was stopped.");
    } catch (InterruptedException e) {
      task.cancel(true);
      Thread.currentThread().interrupt();
      return ToolResult.error(call.name() + " was interrupted before it finished.");
    } catch (ExecutionException e) {
      // runOne catches everything; only an Error gets here.
      log.error("execution {}: tool {} ({}) failed", context.executionId(), call.name(), call.id(), e.getCause());
      return ToolResult.error(call.name() + " failed: " + describe(context, e.getCause()));
    } catch (CancellationException e) {
      return ToolResult.error(call.name() + " was stopped before it finished.");
    }
  }

  private ToolResult runOne(ToolContext context, ContentBlock.ToolUse call) {
    Tool tool = tools.get(call.name());
    if (tool == null) {
      return ToolResult.error("Unknown tool '" + call.name() + "'. Available tools: " + String.join(", ", tools.keySet()) + ".");
    }
    if (context.cancellation().isCancelled()) {
      return ToolResult.error(call.name() + " was not run: the run was cancelled.");
    }
    JsonNode input = call.input();
    String problem = SchemaCheck.problem(tool.inputSchema(), input);
    if (problem != null) {
      return ToolResult.error("Invalid input for " + call.name() + ": " + problem + ".");
    }
    try {
      ToolResult result = tool.execute(context, input);
      if (result == null) {
        log.error("execution {}: tool {} ({}) returned no result", context.executionId(), call.name(), call.id());
        return ToolResult.error(call.name() + " returned no result.");
      }
      return result;
    } catch (ToolFailure failure) {
      return ToolResult.error(failure.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ToolResult.error(call.name() + " was interrupted before it finished.");
    } catch (Exception e) {
      log.error("execution {}: tool {} ({}) failed", context.executionId(), call.name(), call.id(), e);
      return ToolResult.error(call.name() + " failed: " + describe(context, e)
          + ". This is a fault in the tool, not in your input; the server log has the details.");
    }
  }

  /** The exception's type and message, with the caller's token masked should it appear. */
  private static String describe(ToolContext context, Throwable e) {
    String message = e.getMessage() == null ? "" : ": " + e.getMessage();
    String token = context.caller().accessToken();
    if (token != null && !token.isEmpty()) {
      message = message.replace(token, "****");
    }
    return e.getClass().getSimpleName() + message;
  }
}
