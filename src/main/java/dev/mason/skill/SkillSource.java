package dev.mason.skill;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a skill's files are read from. Callers pass only relative paths that the loader listed
 * for the skill; each source still checks confinement itself, because a folder's content can
 * change after it was listed (a file replaced by a symbolic link pointing outside).
 */
sealed interface SkillSource {
  /** The largest file served, to the browser or to the model. */
  long MAX_FILE_BYTES = 1024 * 1024;

  /** The file's text (UTF-8; malformed bytes replaced). */
  String read(String relativePath) throws IOException;

  /** How problems and logs name {@code relativePath} without revealing server paths. */
  String display(String relativePath);

  /** A skill shipped in Mason's jar, under {@code skills/<folder>/} on the class path. */
  record Shipped(String folder) implements SkillSource {
    @Override
    public String read(String relativePath) throws IOException {
      String resource = "skills/" + folder + "/" + relativePath;
      try (InputStream in = SkillSource.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new NoSuchFileException(display(relativePath));
        }
        byte[] bytes = in.readNBytes((int) MAX_FILE_BYTES + 1);
        if (bytes.length > MAX_FILE_BYTES) {
          throw new IOException(display(relativePath) + " is larger than " + MAX_FILE_BYTES / 1024 + " KiB");
        }
        return new String(bytes, StandardCharsets.UTF_8);
      }
    }

    @Override
    public String display(String relativePath) {
      return "shipped:skills/" + folder + "/" + relativePath;
    }
  }

  /**
   * A skill folder inside a folder of skills (SKILLS_DIR, or one being checked); {@code root} is
   * the skill folder's real path, {@code label} how the folder of skills is named in messages.
   */
  record Folder(String label, String folder, Path root) implements SkillSource {
    @Override
    public String read(String relativePath) throws IOException {
      // Messages name the file as display() does: they reach users, server paths must not.
      Path real;
      try {
        real = root.resolve(relativePath).normalize().toRealPath();
      } catch (IOException e) {
        throw new NoSuchFileException(display(relativePath));
      }
      if (!real.startsWith(root) || !Files.isRegularFile(real)) {
        throw new NoSuchFileException(display(relativePath));
      }
      try {
        if (Files.size(real) > MAX_FILE_BYTES) {
          throw new IOException(display(relativePath) + " is larger than " + MAX_FILE_BYTES / 1024 + " KiB");
        }
        return new String(Files.readAllBytes(real), StandardCharsets.UTF_8);
      } catch (AccessDeniedException e) {
        throw new IOException(display(relativePath) + " cannot be read: permission denied", e);
      }
    }

    @Override
    public String display(String relativePath) {
      return label + "/" + folder + "/" + relativePath;
    }
  }
}
