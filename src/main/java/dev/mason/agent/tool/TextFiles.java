package dev.mason.agent.tool;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Text as the file tools understand it: UTF-8 without NUL bytes. Anything else is binary and is
 * refused (Read, Edit) or skipped (Grep) rather than shown as mojibake.
 */
final class TextFiles {
  /** How much of a file's start is checked for NUL bytes before reading it as text. */
  static final int SNIFF_BYTES = 8 * 1024;

  private TextFiles() {}

  /** Whether the start of the file has a NUL byte, the mark of nearly every binary format. */
  static boolean startsBinary(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(SNIFF_BYTES);
      for (byte b : head) {
        if (b == 0) {
          return true;
        }
      }
      return false;
    }
  }

  /** The whole file as text, or null when it is binary (a NUL byte or bytes that are not UTF-8). */
  static String readText(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    for (byte b : bytes) {
      if (b == 0) {
        return null;
      }
    }
    try {
      return strictDecoder().decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  /** A reader that throws {@link CharacterCodingException} at the first byte that is not UTF-8. */
  static Reader strictReader(InputStream in) {
    return new InputStreamReader(in, strictDecoder());
  }

  private static CharsetDecoder strictDecoder() {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }
}
