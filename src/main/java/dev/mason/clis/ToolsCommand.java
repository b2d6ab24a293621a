package dev.mason.clis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mason tools status | install | upgrade [--shipped]}: the terminal CLIs from the command line.
 *
 * <p>{@code upgrade} moves each CLI to the registry's {@code latest} when that release runs on this
 * machine's Node (its {@code engines.node} lower bound), else keeps the current pin and says why;
 * the new pins are written to {@code $MASON_HOME/clis/pins.json}, which wins over the shipped
 * {@code clis/package.json} from then on, and installed at once. {@code upgrade --shipped} deletes
 * that file: back to the versions this Mason was built and tested with.
 */
public final class ToolsCommand {
  static final String UPGRADED_PINS = "pins.json";
  private static final Pattern LOWER_BOUND = Pattern.compile(">=\\s*v?(\\d+)");

  private ToolsCommand() {}

  /** @param home {@code $MASON_HOME/clis} */
  public static int run(List<String> args, CliSettings settings, Path home, Map<String, String> env, PrintStream out, PrintStream err) {
    String action = args.isEmpty() ? "status" : args.getFirst();
    try {
      return switch (action) {
        case "status" -> install(settings, home, env, out, false);
        case "install" -> install(settings, home, env, out, true);
        case "upgrade" -> args.contains("--shipped") ? shipped(settings, home, env, out) : upgrade(settings, home, env, out, err);
        default -> {
          err.println("Unknown action '" + action + "'. Usage: mason tools [status | install | upgrade [--shipped]]");
          yield 2;
        }
      };
    } catch (IOException e) {
      err.println("mason tools " + action + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  private static int install(CliSettings settings, Path home, Map<String, String> env, PrintStream out, boolean install)
      throws InterruptedException {
    CliSettings effective = new CliSettings(install && settings.install(), settings.preinstalled(), settings.npmRegistry(),
        settings.claudeModel(), settings.codexModel(), settings.geminiModel(), settings.publicMcpServers());
    SetupProgress progress = new SetupProgress();
    CliPins pins = CliPins.effective(home.resolve(UPGRADED_PINS));
    var installer = new CliInstaller(effective, pins, home, new Npm(env, settings.npmRegistry()), progress);
    installer.start();
    installer.await();
    out.println("CLIs in " + installer.binFolder() + (Files.isRegularFile(home.resolve(UPGRADED_PINS)) ? " (upgraded pins)" : ""));
    boolean failed = false;
    for (SetupProgress.Step step : progress.view().steps()) {
      String pin = Cli.byId(step.id()).map(pins::version).orElse("?");
      out.printf("  %-12s pinned %-10s %s%n", step.label(), pin,
          step.status() == SetupProgress.Status.complete ? "ready " + step.version() : step.error());
      failed |= step.status() != SetupProgress.Status.complete;
    }
    return failed && install ? 1 : 0;
  }

  private static int upgrade(CliSettings settings, Path home, Map<String, String> env, PrintStream out, PrintStream err)
      throws IOException, InterruptedException {
    if (settings.preinstalled() != null) {
      err.println("The CLIs come from " + settings.preinstalled().resolve("node_modules")
          + " (a Databricks App's package.json): upgrade the pins there and deploy again.");
      return 1;
    }
    Npm npm = new Npm(env, settings.npmRegistry());
    int node = nodeMajor(env);
    CliPins pins = CliPins.effective(home.resolve(UPGRADED_PINS));
    for (Cli cli : Cli.values()) {
      Npm.Result view = npm.view(cli.npmPackage() + "@latest", "version", "engines");
      if (!view.ok()) {
        out.println(cli.label() + ": stays at " + pins.version(cli) + " (" + view.reason() + ")");
        continue;
      }
      JsonNode answer = Json.MAPPER.readTree(view.output().isBlank() ? "{}" : view.output());
      String latest = answer.path("version").asText(null);
      String engines = answer.path("engines").path("node").asText("");
      Integer needed = lowerBound(engines);
      if (latest == null) {
        out.println(cli.label() + ": stays at " + pins.version(cli) + " (the registry named no latest version)");
      } else if (needed != null && node > 0 && needed > node) {
        out.println(cli.label() + ": stays at " + pins.version(cli) + " (" + latest + " needs Node " + engines + ", this machine has Node " + node + ")");
      } else {
        if (!latest.equals(pins.version(cli))) {
          out.println(cli.label() + ": " + pins.version(cli) + " -> " + latest);
        }
        pins = pins.with(cli, latest);
      }
    }
    Files.createDirectories(home);
    CliConfigs.write(home.resolve(UPGRADED_PINS), pins.json());
    return install(settings, home, env, out, true);
  }

  private static int shipped(CliSettings settings, Path home, Map<String, String> env, PrintStream out) throws IOException, InterruptedException {
    Files.deleteIfExists(home.resolve(UPGRADED_PINS));
    out.println("Back to the shipped pins.");
    return install(settings, home, env, out, true);
  }

  /** The smallest Node major an {@code engines.node} range allows, or null when it names none. */
  static Integer lowerBound(String range) {
    Matcher m = LOWER_BOUND.matcher(range);
    Integer smallest = null;
    while (m.find()) {
      int major = Integer.parseInt(m.group(1));
      smallest = smallest == null ? major : Math.min(smallest, major);
    }
    return smallest;
  }

  private static int nodeMajor(Map<String, String> env) {
    try {
      Process process = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String version = new String(process.getInputStream().readAllBytes()).trim();
      process.waitFor();
      Matcher m = Pattern.compile("v(\\d+)").matcher(version);
      return m.find() ? Integer.parseInt(m.group(1)) : 0;
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }
}
