package dev.mason.project;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32;

/**
 * A zip entry's Unix mode in the Info-ZIP "ASi Unix" extra field (header id 0x756e), which
 * {@code unzip} and Apache Commons Compress read too. Java's zip classes keep an entry's extra
 * field in the local header, where a streaming reader finds it (the external attributes, the
 * other place for a mode, are only in the central directory at the end).
 *
 * <p>Layout, little-endian: id (2), data size (2), then the data: CRC-32 of what follows (4),
 * mode with its file type bits (2), link size (4), uid (2), gid (2).
 */
final class UnixMode {
  private static final int HEADER_ID = 0x756e;
  private static final int DATA_SIZE = 14;
  private static final int REGULAR_FILE = 0100000;
  private static final int DIRECTORY = 0040000;

  private UnixMode() {}

  /** The extra field for permission bits {@code mode} of a folder or a regular file. */
  static byte[] field(int mode, boolean folder) {
    ByteBuffer data = ByteBuffer.allocate(DATA_SIZE - 4).order(ByteOrder.LITTLE_ENDIAN);
    data.putShort((short) ((folder ? DIRECTORY : REGULAR_FILE) | (mode & 07777)));
    data.putInt(0).putShort((short) 0).putShort((short) 0);
    CRC32 crc = new CRC32();
    crc.update(data.array());
    return ByteBuffer.allocate(4 + DATA_SIZE).order(ByteOrder.LITTLE_ENDIAN)
        .putShort((short) HEADER_ID).putShort((short) DATA_SIZE)
        .putInt((int) crc.getValue()).put(data.array())
        .array();
  }

  /** The permission bits in {@code extra}, or null when it has no (intact) ASi Unix field. */
  static Integer read(byte[] extra) {
    if (extra == null) {
      return null;
    }
    ByteBuffer fields = ByteBuffer.wrap(extra).order(ByteOrder.LITTLE_ENDIAN);
    while (fields.remaining() >= 4) {
      int id = Short.toUnsignedInt(fields.getShort());
      int size = Short.toUnsignedInt(fields.getShort());
      if (size > fields.remaining()) {
        return null;
      }
      if (id == HEADER_ID && size >= 6) {
        long recorded = Integer.toUnsignedLong(fields.getInt());
        byte[] data = new byte[size - 4];
        fields.get(data);
        CRC32 crc = new CRC32();
        crc.update(data);
        if (crc.getValue() != recorded) {
          return null;
        }
        return ((data[0] & 0xff) | (data[1] & 0xff) << 8) & 0777;
      }
      fields.position(fields.position() + size);
    }
    return null;
  }
}
