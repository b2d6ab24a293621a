package dev.mason.agent.message;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages of a run, built block by block as the run reports them: an assistant message of a
 * model turn's blocks, then a user message of the tool results that answer it. The first
 * assistant block after results starts the next turn.
 */
public final class TurnMessages {
  private final List<ChatMessage> messages = new ArrayList<>();
  private final List<ContentBlock> assistant = new ArrayList<>();
  private final List<ContentBlock.ToolResult> results = new ArrayList<>();

  /** Adds a block to the model's turn, after closing the previous turn if its tools answered. */
  public void assistant(ContentBlock block) {
    startTurnIfAnswered();
    assistant.add(block);
  }

  public void result(ContentBlock.ToolResult result) {
    results.add(result);
  }

  /** Closes the current turn when tool results have come for it, so that what follows is the next turn's. */
  public void startTurnIfAnswered() {
    if (!results.isEmpty()) {
      closeTurn();
    }
  }

  /** The messages so far, the current turn's included. */
  public List<ChatMessage> messages() {
    closeTurn();
    return List.copyOf(messages);
  }

  private void closeTurn() {
    if (!assistant.isEmpty()) {
      messages.add(new ChatMessage(ChatMessage.Role.ASSISTANT, List.copyOf(assistant)));
    }
    if (!results.isEmpty()) {
      messages.add(new ChatMessage(ChatMessage.Role.USER, List.copyOf(results)));
    }
    assistant.clear();
    results.clear();
  }
}
