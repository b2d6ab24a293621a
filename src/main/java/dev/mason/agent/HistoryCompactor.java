package dev.mason.agent;

import dev.mason.agent.llm.ModelClient;
import dev.mason.agent.llm.ModelException;
import dev.mason.agent.llm.ModelRequest;
import dev.mason.agent.llm.ModelTurn;
import dev.mason.agent.llm.StreamListener;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a conversation inside the model's context window: when the history nears the window,
 * the older turns are replaced by a summary the model writes, and the recent turns are kept.
 *
 * <p>The cut is made only before a user message of plain text, so a tool call is never separated
 * from its result. Sizes are estimated at four characters a token, which errs on the safe side
 * for English and code.
 */
final class HistoryCompactor {
  private static final Logger log = LoggerFactory.getLogger(HistoryCompactor.class);
  static final double COMPACT_AT = 0.75;
  static final double KEEP_AT_MOST = 0.35;
  private static final int SUMMARY_TOKENS = 2_000;

  private final ModelClient summarizer;
  private final String summaryModel;

  /** @param summaryModel the model that writes summaries, or null to use the run's model */
  HistoryCompactor(ModelClient summarizer, String summaryModel) {
    this.summarizer = summarizer;
    this.summaryModel = summaryModel;
  }

  List<ChatMessage> compactIfNeeded(String model, List<ChatMessage> history, int contextTokens) {
    if (estimateTokens(history) < contextTokens * COMPACT_AT) {
      return history;
    }
    int cut = cutPoint(history, (int) (contextTokens * KEEP_AT_MOST));
    if (cut <= 0) {
      return history;
    }
    List<ChatMessage> older = history.subList(0, cut);
    String summary;
    try {
      summary = summarize(summaryModel == null ? model : summaryModel, older);
    } catch (ModelException e) {
      log.warn("Could not summarise {} older messages; sending the history as it is: {}", older.size(), e.getMessage());
      return history;
    }
    List<ChatMessage> compacted = new ArrayList<>();
    ChatMessage firstKept = history.get(cut);
    List<ContentBlock> merged = new ArrayList<>();
    merged.add(new ContentBlock.Text("[Summary of the earlier part of this conversation]\n" + summary));
    merged.addAll(firstKept.content());
    compacted.add(new ChatMessage(ChatMessage.Role.USER, merged));
    compacted.addAll(history.subList(cut + 1, history.size()));
    log.info("Compacted {} older messages into a summary; {} messages kept", cut, history.size() - cut);
    return compacted;
  }

  /** The earliest plain user message after which the rest fits in {@code keepTokens}; 0 if none. */
  private static int cutPoint(List<ChatMessage> history, int keepTokens) {
    int best = 0;
    for (int i = history.size() - 1; i > 0; i--) {
      if (estimateTokens(history.subList(i, history.size())) > keepTokens) {
        break;
      }
      if (isPlainUserMessage(history.get(i))) {
        best = i;
      }
    }
    return best;
  }

  private static boolean isPlainUserMessage(ChatMessage message) {
    return message.role() == ChatMessage.Role.USER
        && message.content().stream().noneMatch(b -> b instanceof ContentBlock.ToolResult);
  }

  private String summarize(String model, List<ChatMessage> older) throws ModelException {
    StringBuilder transcript = new StringBuilder();
    for (ChatMessage message : older) {
      transcript.append(message.role().wire()).append(":\n");
      for (ContentBlock block : message.content()) {
        switch (block) {
          case ContentBlock.Text t -> transcript.append(t.text()).append('\n');
          case ContentBlock.ToolUse u -> transcript.append("[called ").append(u.name()).append(' ').append(u.input()).append("]\n");
          case ContentBlock.ToolResult r -> transcript.append("[result").append(r.isError() ? " (error)" : "").append(": ")
              .append(r.content(), 0, Math.min(r.content().length(), 2_000)).append("]\n");
          case ContentBlock.Thinking ignored -> { }
          case ContentBlock.RedactedThinking ignored -> { }
        }
      }
    }
    ModelTurn turn = summarizer.stream(new ModelRequest(model,
        "You write compact, faithful summaries of work sessions so they can be continued later.",
        List.of(ChatMessage.user("Summarise this conversation between a user and an engineering agent. Keep every fact "
            + "needed to continue: goals, decisions, names of files, tables, jobs and other resources created or changed, "
            + "ids, open problems and next steps. Be concise.\n\n" + transcript)),
        List.of(), SUMMARY_TOKENS, null), new StreamListener() {}, Cancellation.NEVER);
    return turn.content().stream()
        .filter(b -> b instanceof ContentBlock.Text)
        .map(b -> ((ContentBlock.Text) b).text())
        .reduce("", (a, b) -> a + b);
  }

  static long estimateTokens(List<ChatMessage> messages) {
    long chars = 0;
    for (ChatMessage message : messages) {
      for (ContentBlock block : message.content()) {
        chars += block.toJson().toString().length();
      }
    }
    return chars / 4;
  }
}
