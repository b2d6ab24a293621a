package dev.mason.terminal;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Reads a shell's output from the master side of its PTY with plain {@code poll(2)} and
 * {@code read(2)} into a direct buffer, through JNA's direct mapping.
 *
 * <p>Why not pty4j's InputStream: each of its reads allocates a heap array of the requested size,
 * has JNA copy it to native memory and back, and builds a JNA Structure for its poll. A busy
 * terminal reads a few thousand times a second, so that was most of Mason's garbage; on a
 * machine whose cores are taken by the programs in its terminals, each collection it causes
 * stalls every keystroke's echo. Here a read allocates nothing.
 *
 * <p>Only the session's pump thread reads. Closing the descriptor is the pump's owner's business,
 * and must wait until the pump has returned: a descriptor closed under a poll could be reused by
 * anything the JVM opens next.
 */
final class PtyOutput {
  private static final short POLLIN = 0x1;
  private static final short POLLERR = 0x8;
  private static final short POLLHUP = 0x10;
  private static final short POLLNVAL = 0x20;
  private static final int EINTR = 4;
  private static final int EAGAIN = Platform.isMac() ? 35 : 11;

  static {
    if (Native.LONG_SIZE != 8) {
      throw new IllegalStateException("terminals need a 64-bit JVM");
    }
    Native.register(Platform.C_LIBRARY_NAME);
  }

  private static native int poll(ByteBuffer fds, long count, int timeoutMillis) throws LastErrorException;

  private static native long read(int fd, ByteBuffer buffer, long count) throws LastErrorException;

  private final int fd;
  /** One {@code struct pollfd}: int fd, short events, short revents. */
  private final ByteBuffer pollFd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());

  PtyOutput(int fd) {
    this.fd = fd;
    pollFd.putInt(0, fd);
    pollFd.putShort(4, POLLIN);
  }

  /**
   * Waits up to {@code waitMillis} for output and reads what there is into the start of
   * {@code into}, a direct buffer, up to its capacity. Positions and limits are left alone.
   *
   * @return the number of bytes read; 0 when nothing came within the wait; -1 once the shell's side
   *     is closed and everything it wrote has been read
   */
  int read(ByteBuffer into, int waitMillis) {
    pollFd.putShort(6, (short) 0);
    try {
      if (poll(pollFd, 1, waitMillis) == 0) {
        return 0;
      }
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EINTR) {
        return 0;
      }
      throw new IllegalStateException("poll on the terminal failed: errno " + e.getErrorCode(), e);
    }
    short events = pollFd.getShort(6);
    if ((events & POLLNVAL) != 0) {
      return -1;
    }
    if ((events & (POLLIN | POLLHUP | POLLERR)) == 0) {
      return 0;
    }
    try {
      int n = (int) read(fd, into, into.capacity());
      return n <= 0 ? -1 : n;
    } catch (LastErrorException e) {
      if (e.getErrorCode() == EINTR || e.getErrorCode() == EAGAIN) {
        return 0;
      }
      // EIO: every holder of the shell's side has closed it.
      return -1;
    }
  }
}
