package dev.mason.terminal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring's offset arithmetic, and the UTF-8 hold-back of the text paths, byte for byte. */
class OutputRingTest {
  private static final int CAPACITY = 64 * 1024;

  @Test
  void everyByteStillHeldReadsBackAsWrittenAcrossManyWraps() {
    OutputRing ring = new OutputRing(CAPACITY);
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    Random random = new Random(7);
    for (int i = 0; i < 2_000; i++) {
      byte[] chunk = new byte[random.nextInt(5_000)];
      random.nextBytes(chunk);
      ring.append(chunk, 0, chunk.length);
      written.writeBytes(chunk);
      assertThat(ring.retained()).isLessThanOrEqualTo(CAPACITY);
      assertThat(ring.allocated()).isLessThanOrEqualTo(CAPACITY);
    }
    byte[] all = written.toByteArray();
    assertThat(ring.end()).isEqualTo(all.length);
    long from = ring.start();
    ByteArrayOutputStream read = new ByteArrayOutputStream();
    while (from < ring.end()) {
      OutputRing.Slice slice = ring.read(from, 3_000);
      assertThat(slice.gap()).isZero();
      read.writeBytes(slice.bytes());
      from = slice.next();
    }
    byte[] tail = new byte[(int) (ring.end() - ring.start())];
    System.arraycopy(all, all.length - tail.length, tail, 0, tail.length);
    assertThat(read.toByteArray()).isEqualTo(tail);
  }

  @Test
  void aReadFromADroppedOffsetStartsAtTheOldestByteHeldAndSaysSo() {
    OutputRing ring = new OutputRing(CAPACITY);
    byte[] data = new byte[CAPACITY * 3 + 17];
    ring.append(data, 0, data.length);
    OutputRing.Slice slice = ring.read(10, 100);
    assertThat(slice.requested()).isEqualTo(10);
    assertThat(slice.offset()).isEqualTo(ring.start()).isEqualTo(data.length - CAPACITY);
    assertThat(slice.gap()).isEqualTo(data.length - CAPACITY - 10);
  }

  @Test
  void aQuietRingCostsKilobytesNotItsCapacity() {
    OutputRing ring = new OutputRing(1024 * 1024);
    byte[] prompt = "user@host:~/projects$ ".getBytes(StandardCharsets.UTF_8);
    ring.append(prompt, 0, prompt.length);
    assertThat(ring.allocated()).isLessThanOrEqualTo(4 * 1024);
  }

  @Test
  void anOffsetPastTheEndIsRefused() {
    OutputRing ring = new OutputRing(CAPACITY);
    assertThatThrownBy(() -> ring.read(1, 10)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anIncompleteCharacterAtTheEndIsHeldBackAndACompleteOneIsNot() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8);
    byte[] text = ("ab" + "€").getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8Text.incompleteTail(text, text.length)).isZero();
    assertThat(Utf8Text.incompleteTail(text, text.length - 1)).isEqualTo(2);
    assertThat(Utf8Text.incompleteTail(text, text.length - 2)).isEqualTo(1);
    assertThat(Utf8Text.incompleteTail(text, 2)).isZero();
    assertThat(Utf8Text.leadingContinuations(new byte[] {euro[1], euro[2], 'a'})).isEqualTo(2);
    byte[] emoji = "😀".getBytes(StandardCharsets.UTF_8);
    assertThat(Utf8Text.incompleteTail(emoji, 3)).isEqualTo(3);
  }
}
