package dev.mason.deploy;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/** {@code mason package [DIR]}: builds the Databricks Apps package, by default into {@code app/} beside Mason's jar. */
public final class PackageCommand {
  private PackageCommand() {}

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    if (args.size() > 1 || !args.isEmpty() && args.getFirst().startsWith("-")) {
      err.println("Usage: mason package [DIR]");
      return 2;
    }
    try {
      AppPackage.Sources sources = AppPackage.ofThisBuild();
      Path folder = args.isEmpty() ? defaultFolder(sources) : Path.of(args.getFirst()).toAbsolutePath();
      out.println("Packaged Mason for Databricks Apps in " + AppPackage.build(folder, sources).describe());
      return 0;
    } catch (PackageException | UncheckedIOException e) {
      err.println("Cannot package Mason: " + e.getMessage() + (e.getCause() instanceof IOException io ? " (" + io.getMessage() + ")" : ""));
      return 1;
    }
  }

  static Path defaultFolder(AppPackage.Sources sources) {
    return sources.jarOrClasses().toAbsolutePath().getParent().resolve("app");
  }
}
