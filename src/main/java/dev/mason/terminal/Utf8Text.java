package dev.mason.terminal;

import java.nio.charset.StandardCharsets;

/**
 * Terminal bytes as text for the JSON paths. A PTY read can end in the middle of a UTF-8
 * character; decoding it as it comes would turn the character into U+FFFD on both sides of the
 * cut, so the incomplete tail is held back and read again with the bytes that complete it.
 */
final class Utf8Text {
  private Utf8Text() {}

  /** How many bytes at the end of {@code bytes[0, length)} start a character that is not complete yet: 0 to 3. */
  static int incompleteTail(byte[] bytes, int length) {
    for (int back = 1; back <= Math.min(3, length); back++) {
      int b = bytes[length - back] & 0xFF;
      if (isContinuation(b)) {
        continue;
      }
      return sequenceLength(b) > back ? back : 0;
    }
    return 0;
  }

  /** How many continuation bytes open {@code bytes}: the rest of a character whose start was dropped. At most 3. */
  static int leadingContinuations(byte[] bytes) {
    int n = 0;
    while (n < Math.min(3, bytes.length) && isContinuation(bytes[n] & 0xFF)) {
      n++;
    }
    return n;
  }

  /** Decodes {@code bytes[from, to)}; bytes that are not UTF-8 become U+FFFD. */
  static String decode(byte[] bytes, int from, int to) {
    return new String(bytes, from, to - from, StandardCharsets.UTF_8);
  }

  private static boolean isContinuation(int b) {
    return (b & 0xC0) == 0x80;
  }

  /** The length a lead byte announces; 1 for ASCII and for bytes that can never start a character. */
  private static int sequenceLength(int lead) {
    if (lead >= 0xC2 && lead <= 0xDF) {
      return 2;
    }
    if (lead >= 0xE0 && lead <= 0xEF) {
      return 3;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
      return 4;
    }
    return 1;
  }
}
