package dev.mason.agent.llm;

import dev.mason.agent.message.ContentBlock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what a client streamed, and honours the retry contract: on {@code onRetry} it discards
 * the abandoned attempt's output, keeping a log of everything for assertions.
 */
final class RecordingListener implements StreamListener {
  record Retry(int attempt, Duration delay, String reason) {}

  final List<String> textDeltas = new CopyOnWriteArrayList<>();
  final List<String> thinkingDeltas = new CopyOnWriteArrayList<>();
  final List<ContentBlock> blocks = new CopyOnWriteArrayList<>();
  final List<Retry> retries = new CopyOnWriteArrayList<>();
  /** Every text delta of every attempt, discarded ones included. */
  final List<String> allTextDeltas = new CopyOnWriteArrayList<>();

  @Override
  public void onTextDelta(String text) {
    textDeltas.add(text);
    allTextDeltas.add(text);
  }

  @Override
  public void onThinkingDelta(String text) {
    thinkingDeltas.add(text);
  }

  @Override
  public void onContentBlock(ContentBlock block) {
    blocks.add(block);
  }

  @Override
  public void onRetry(int attempt, Duration delay, String reason) {
    retries.add(new Retry(attempt, delay, reason));
    textDeltas.clear();
    thinkingDeltas.clear();
    blocks.clear();
  }

  String text() {
    return String.join("", textDeltas);
  }
}
