package dev.mason.agent;

import dev.mason.agent.llm.ModelRouter;
import dev.mason.agent.llm.ModelSettings;
import dev.mason.agent.llm.ModelRequest;
import dev.mason.agent.llm.StreamListener;
import dev.mason.agent.message.ChatMessage;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names new conversations: at once with the first words of the message, then with a three-to-six
 * word title from the small model if it answers within {@link #LIMIT}.
 */
final class TitleWriter {
  private static final Logger log = LoggerFactory.getLogger(TitleWriter.class);
  static final Duration LIMIT = Duration.ofSeconds(5);
  private static final int PROVISIONAL_CHARS = 40;

  private final ModelSettings models;

  TitleWriter(ModelSettings models) {
    this.models = models;
  }

  /** The first words of the message, cut at a word boundary. */
  static String provisional(String message) {
    String flat = plain(message);
    if (flat.length() <= PROVISIONAL_CHARS) {
      return flat;
    }
    int cut = flat.lastIndexOf(' ', PROVISIONAL_CHARS);
    return flat.substring(0, cut > 10 ? cut : PROVISIONAL_CHARS) + "…";
  }

  /**
   * One line of text a title column can hold: control characters (NUL among them, which
   * PostgreSQL refuses) become spaces, lone surrogates are dropped, runs of space are one.
   */
  static String plain(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (!Character.isSurrogate(c)) {
        out.append(Character.isISOControl(c) ? ' ' : c);
      }
    }
    return out.toString().strip().replaceAll("\\s+", " ");
  }

  /** Asks the small model for a title in the background; {@code apply} runs only with a usable one. */
  void writeLater(ModelRouter router, String runModel, String message, Consumer<String> apply) {
    String model = models.miniModel() != null ? models.miniModel() : runModel;
    AtomicBoolean stop = new AtomicBoolean();
    Cancellation cancellation = new Cancellation() {
      @Override
      public boolean isCancelled() {
        return stop.get();
      }

      @Override
      public void onCancel(Runnable action) {}
    };
    Thread worker = Thread.ofVirtual().name("title-writer").start(() -> {
      try {
        var turn = router.clientFor(model).stream(new ModelRequest(model,
                "You name conversations. Answer with a title of three to six words, no quotes, no final period.",
                List.of(ChatMessage.user("Name a conversation that starts with this message:\n\n" + message.substring(0, Math.min(message.length(), 2_000)))),
                List.of(), 30, null),
            new StreamListener() {}, cancellation);
        String title = turn.content().stream().filter(b -> b instanceof ContentBlock.Text)
            .map(b -> ((ContentBlock.Text) b).text()).reduce("", String::concat).strip().replaceAll("^[\"']|[\"'.]$", "");
        title = plain(title);
        if (!stop.get() && !title.isBlank() && title.length() <= 80) {
          apply.accept(title);
        }
      } catch (Exception e) {
        log.debug("No title from the model: {}", e.toString());
      }
    });
    Thread.ofVirtual().name("title-writer-timer").start(() -> {
      try {
        if (!worker.join(LIMIT)) {
          stop.set(true);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
