package dev.mason.agent;

import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.llm.Usage;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.tool.Cancellation;
import dev.mason.identity.Caller;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

/**
 * An engine other than the built-in loop that runs a conversation's message (today the Claude
 * Code CLI, {@code dev.mason.agent.claudecode}). The execution service owns everything around a
 * run: the row, the event log, {@code conversation.created}, {@code result}, {@code done}, the
 * stored turns. A runtime only emits what happens in between and says how it ended.
 */
public interface AgentRuntime {
  /** The runtime's name in a conversation's {@code runtime} setting. */
  String name();

  /** Null when the runtime can run here; else why not, in a sentence for the Settings panel. */
  String unavailableReason();

  /** Runs one message to its end, its stop, or its failure, on the calling thread; never throws for a failed run. */
  Result run(Request request, Events events);

  /** Ends every process this runtime keeps, within a bounded time. */
  void close();

  /**
   * One message to run.
   *
   * @param caller who runs it, with their own token for the models and Mason's MCP tools
   * @param key the conversation (or delegated task) whose process this is
   * @param instructions Mason's part of the system prompt: the conversation's settings, the workspace
   * @param sessionId the runtime's own session to resume (stored on the conversation), or null
   */
  record Request(Caller caller, UUID projectId, UUID key, UUID executionId, Path folder, String model, String message,
      String instructions, String sessionId, Cancellation cancellation) {}

  /** Where the runtime's events go; the execution service numbers and stores them. */
  interface Events {
    void emit(AgentEvent event);

    /** The runtime's session is known (its first event): stored at once, so a crash mid-run still resumes it. */
    void session(String sessionId);
  }

  /**
   * How a run ended.
   *
   * @param added the messages the run added, as content blocks (stored like the built-in loop's)
   * @param status completed, cancelled or error
   * @param costUsd what the runtime says the run cost, or null
   * @param sessionId the session to resume next, or null to start fresh
   */
  record Result(List<ChatMessage> added, ExecutionStatus status, String error, Usage usage, int turns, Double costUsd,
      String sessionId) {}
}
