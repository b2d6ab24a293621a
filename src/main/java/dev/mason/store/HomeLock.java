package dev.mason.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock on a Mason home folder, held for the life of the process.
 *
 * <p>Two Masons on one home would run two PostgreSQL servers on one data folder; the second one
 * fails here instead, before it touches anything. The operating system releases the lock when the
 * process dies, so a crash never leaves the home locked.
 */
public final class HomeLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private HomeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Takes the lock or throws {@link StartupException} naming the process that holds it. */
  public static HomeLock acquire(Path home) {
    Path file = home.resolve("mason.lock");
    try {
      Files.createDirectories(home);
      FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by another Mason in this same JVM (tests, embedding)
      }
      if (lock == null) {
        String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
        channel.close();
        throw new StartupException("Another Mason is already running with MASON_HOME=" + home
            + (holder.isEmpty() ? "" : " (pid " + holder + ")")
            + ". Stop it, or give this one its own MASON_HOME.");
      }
      channel.truncate(0);
      channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
      return new HomeLock(channel, lock);
    } catch (IOException e) {
      throw new StartupException("Cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
