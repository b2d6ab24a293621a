package dev.mason.deploy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * {@code mason.jar} written from a folder of compiled classes, with the manifest Maven's jar plugin
 * writes (main class, the libraries' class path, native access for pty4j). Used when Mason runs
 * from its classes rather than from its jar (tests, an IDE). Every entry carries the same fixed
 * time, so the same classes give the same bytes and a deploy uploads nothing new.
 */
final class ThinJar {
  private static final FileTime FIXED = FileTime.fromMillis(946_684_800_000L); // 2000-01-01

  private ThinJar() {}

  static void write(Path classes, List<String> classPath, Path jar) throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.put(Attributes.Name.MAIN_CLASS, "dev.mason.Mason");
    main.put(Attributes.Name.CLASS_PATH, String.join(" ", classPath));
    main.putValue("Enable-Native-Access", "ALL-UNNAMED");
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file)) {
      JarEntry manifestEntry = new JarEntry("META-INF/MANIFEST.MF");
      manifestEntry.setLastModifiedTime(FIXED);
      out.putNextEntry(manifestEntry);
      manifest.write(out);
      out.closeEntry();
      List<Path> entries;
      try (Stream<Path> walk = Files.walk(classes)) {
        entries = walk.filter(p -> !p.equals(classes)).sorted().toList();
      }
      for (Path path : entries) {
        String name = classes.relativize(path).toString().replace('\\', '/');
        if (name.equals("META-INF/MANIFEST.MF")) {
          continue;
        }
        JarEntry entry = new JarEntry(Files.isDirectory(path) ? name + "/" : name);
        entry.setLastModifiedTime(FIXED);
        out.putNextEntry(entry);
        if (!Files.isDirectory(path)) {
          Files.copy(path, out);
        }
        out.closeEntry();
      }
    }
  }
}
