package dev.mason.agent;

import dev.mason.agent.event.AgentEvent;
import dev.mason.agent.event.ExecutionStatus;
import dev.mason.agent.llm.ModelClient;
import dev.mason.agent.llm.ModelException;
import dev.mason.agent.llm.ModelRequest;
import dev.mason.agent.llm.ModelTurn;
import dev.mason.agent.llm.StreamListener;
import dev.mason.agent.llm.ToolSpec;
import dev.mason.agent.llm.Usage;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolDispatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * The built-in agent: ask the model, run the tools it calls, give it the results, until it
 * answers without a tool call, the run is stopped, or the turn limit is reached.
 *
 * <p>Emits the event model as it goes and returns the messages the run added to the
 * conversation, complete or (when stopped) as far as they got.
 */
final class AgentLoop {
  private final ModelClient model;
  private final List<Tool> tools;
  private final ToolDispatcher dispatcher;
  private final HistoryCompactor compactor;
  private final AgentLimits limits;

  /** What a run produced: the new messages and how it ended. */
  record Outcome(List<ChatMessage> added, ExecutionStatus status, String error, Usage usage, int turns, Double costUsd) {
    Outcome(List<ChatMessage> added, ExecutionStatus status, String error, Usage usage, int turns) {
      this(added, status, error, usage, turns, null);
    }
  }

  /** Receives events as the loop produces them. */
  interface Emitter {
    void emit(AgentEvent event);
  }

  AgentLoop(ModelClient model, List<Tool> tools, HistoryCompactor compactor, AgentLimits limits) {
    this.model = model;
    this.tools = List.copyOf(tools);
    this.dispatcher = new ToolDispatcher(this.tools);
    this.compactor = compactor;
    this.limits = limits;
  }

  Outcome run(String modelName, String system, List<ChatMessage> history, ToolContext context, Emitter emit) {
    List<ChatMessage> conversation = new ArrayList<>(history);
    List<ChatMessage> added = new ArrayList<>();
    List<ToolSpec> specs = tools.stream().map(t -> new ToolSpec(t.name(), t.description(), t.inputSchema())).toList();
    UsageTotal total = new UsageTotal();
    for (int turn = 1; turn <= limits.maxTurns(); turn++) {
      if (context.cancellation().isCancelled()) {
        return new Outcome(added, ExecutionStatus.CANCELLED, null, total.usage(), turn - 1);
      }
      conversation = compactor.compactIfNeeded(modelName, conversation, limits.contextTokens());
      ModelTurn answer;
      Deltas deltas = new Deltas(emit);
      try {
        answer = model.stream(new ModelRequest(modelName, system, conversation, specs, limits.maxOutputTokens(), null),
            deltas, context.cancellation());
      } catch (ModelException e) {
        if (context.cancellation().isCancelled()) {
          // Stopped mid-answer: the text the reader has already seen is kept, not lost with the call.
          List<ContentBlock> partial = deltas.partialText();
          if (!partial.isEmpty()) {
            added.add(new ChatMessage(ChatMessage.Role.ASSISTANT, partial));
          }
          return new Outcome(added, ExecutionStatus.CANCELLED, null, total.usage(), turn - 1);
        }
        return new Outcome(added, ExecutionStatus.ERROR, e.getMessage() != null ? e.getMessage() : "the model call failed",
            total.usage(), turn - 1);
      }
      total.add(answer.usage());
      Usage used = answer.usage() != null ? answer.usage() : Usage.ZERO;
      emit.emit(new AgentEvent.Usage(used.inputTokens(), used.outputTokens(), used.cacheReadInputTokens(),
          used.cacheCreationInputTokens(), turn, answer.stopReason()));
      List<ContentBlock.ToolUse> calls = new ArrayList<>();
      for (ContentBlock block : answer.content()) {
        switch (block) {
          case ContentBlock.Text text -> emit.emit(new AgentEvent.Text(text.text()));
          case ContentBlock.Thinking thinking -> emit.emit(new AgentEvent.Thinking(thinking.thinking()));
          case ContentBlock.ToolUse use -> {
            emit.emit(new AgentEvent.ToolUse(use.id(), use.name(), use.input()));
            calls.add(use);
          }
          case ContentBlock.RedactedThinking ignored -> { }
          case ContentBlock.ToolResult ignored -> { }
        }
      }
      ChatMessage assistant = new ChatMessage(ChatMessage.Role.ASSISTANT, answer.content());
      conversation.add(assistant);
      added.add(assistant);
      if (calls.isEmpty()) {
        return new Outcome(added, context.cancellation().isCancelled() ? ExecutionStatus.CANCELLED : ExecutionStatus.COMPLETED,
            null, total.usage(), turn);
      }
      List<ContentBlock> results = new ArrayList<>(dispatcher.run(context, calls, (result, duration) ->
          emit.emit(new AgentEvent.ToolResult(result.toolUseId(), result.content(), result.isError(), duration.toMillis()))));
      ChatMessage toolResults = new ChatMessage(ChatMessage.Role.USER, results);
      conversation.add(toolResults);
      added.add(toolResults);
    }
    return new Outcome(added, ExecutionStatus.ERROR, "stopped after " + limits.maxTurns() + " turns without a final answer; "
        + "send another message to let the agent continue", total.usage(), limits.maxTurns());
  }

  /** A run's summed usage as the event model carries it. */
  static AgentEvent.Tokens tokens(Usage usage) {
    return new AgentEvent.Tokens(usage.inputTokens(), usage.outputTokens(), usage.cacheReadInputTokens(),
        usage.cacheCreationInputTokens());
  }

  /**
   * Streams deltas into the event log as they arrive, and keeps the text of the attempt in
   * progress so that a stopped call can keep it. Used by the run's thread only.
   */
  private static final class Deltas implements StreamListener {
    private final Emitter emit;
    private final List<String> completedTexts = new ArrayList<>();
    private final StringBuilder openText = new StringBuilder();

    Deltas(Emitter emit) {
      this.emit = emit;
    }

    /** The text blocks streamed by the current attempt, the unfinished one included. */
    List<ContentBlock> partialText() {
      List<ContentBlock> blocks = new ArrayList<>();
      completedTexts.forEach(text -> blocks.add(new ContentBlock.Text(text)));
      if (!openText.toString().isBlank()) {
        blocks.add(new ContentBlock.Text(openText.toString()));
      }
      return blocks;
    }

    @Override
    public void onTextDelta(String text) {
      openText.append(text);
      emit.emit(new AgentEvent.TextDelta(text));
    }

    @Override
    public void onContentBlock(ContentBlock block) {
      if (block instanceof ContentBlock.Text text) {
        completedTexts.add(text.text());
        openText.setLength(0);
      }
    }

    @Override
    public void onThinkingDelta(String text) {
      emit.emit(new AgentEvent.ThinkingDelta(text));
    }

    /**
     * The model's answer is being retried: a non-final error tells readers to drop the deltas
     * of the turn in progress, since the next attempt streams the answer again from its start.
     */
    @Override
    public void onRetry(int attempt, java.time.Duration delay, String reason) {
      completedTexts.clear();
      openText.setLength(0);
      emit.emit(AgentEvent.Error.retrying("the model call failed (" + reason + "); retrying, attempt " + attempt, attempt,
          delay.toMillis()));
    }
  }

  /** Sums usage over turns; used by one run's thread only. */
  private static final class UsageTotal {
    private long input;
    private long output;
    private long cacheRead;
    private long cacheCreation;

    void add(Usage usage) {
      if (usage == null) {
        return;
      }
      input += usage.inputTokens();
      output += usage.outputTokens();
      cacheRead += usage.cacheReadInputTokens();
      cacheCreation += usage.cacheCreationInputTokens();
    }

    Usage usage() {
      return new Usage(input, output, cacheRead, cacheCreation);
    }
  }
}
