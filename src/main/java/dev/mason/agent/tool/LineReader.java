package dev.mason.agent.tool;

import java.io.IOException;
import java.io.Reader;

/**
 * Reads lines without ever holding more than {@code maxChars} of one: a minified file with a
 * 50 MB line costs no more memory than a short one. Lines end at '\n'; a '\r' before it is
 * dropped. Not thread-safe.
 */
final class LineReader {
  /** One line: its text (at most maxChars) and whether more was cut off. */
  record Line(String text, boolean cut) {}

  private final Reader reader;
  private final int maxChars;
  private final char[] buffer = new char[8192];
  private int position;
  private int limit;

  LineReader(Reader reader, int maxChars) {
    this.reader = reader;
    this.maxChars = maxChars;
  }

  /**
   * The next line, or null at the end.
   *
   * @throws BinaryContentException when the line has a NUL character
   */
  Line next() throws IOException {
    StringBuilder text = new StringBuilder();
    boolean cut = false;
    boolean any = false;
    while (true) {
      if (position == limit) {
        limit = reader.read(buffer);
        position = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? finish(text, cut) : null;
        }
      }
      any = true;
      char c = buffer[position++];
      if (c == '\n') {
        return finish(text, cut);
      }
      if (c == 0) {
        throw new BinaryContentException();
      }
      if (text.length() < maxChars + 1) {
        text.append(c);
      } else {
        cut = true;
      }
    }
  }

  private Line finish(StringBuilder text, boolean cut) {
    if (!text.isEmpty() && text.charAt(text.length() - 1) == '\r') {
      text.setLength(text.length() - 1);
    }
    if (text.length() > maxChars) {
      text.setLength(maxChars);
      cut = true;
    }
    return new Line(text.toString(), cut);
  }

  /** The text has a NUL character, so it is not text. */
  static final class BinaryContentException extends IOException {
    BinaryContentException() {
      super("NUL character in text");
    }
  }
}
