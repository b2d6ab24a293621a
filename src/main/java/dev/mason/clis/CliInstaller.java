package dev.mason.clis;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Installs the pinned CLIs in the background, each in its own npm prefix under
 * {@code $MASON_HOME/clis/npm/<cli>} and on its own virtual thread, so one CLI's failure or slow
 * download never holds another back; a CLI already there at its pinned version costs nothing. Each
 * ready CLI gets a link in one bin folder ({@code $MASON_HOME/clis/bin}), which shells put first on
 * their PATH. With a {@linkplain CliSettings#preinstalled preinstalled} folder (a Databricks App's
 * {@code node_modules}) nothing is installed: the CLIs found there are ready as they are.
 *
 * <p>Progress goes to {@link SetupProgress}; nothing here ever blocks Mason's start.
 */
final class CliInstaller {
  private static final Logger log = LoggerFactory.getLogger(CliInstaller.class);

  private final CliSettings settings;
  private final CliPins pins;
  private final Path home;
  private final Npm npm;
  private final SetupProgress progress;
  private final List<Thread> threads = new ArrayList<>();

  /** @param home {@code $MASON_HOME/clis} */
  CliInstaller(CliSettings settings, CliPins pins, Path home, Npm npm, SetupProgress progress) {
    this.settings = settings;
    this.pins = pins;
    this.home = home;
    this.npm = npm;
    this.progress = progress;
  }

  /** Where the ready CLIs' commands are: the shells' first PATH entry. */
  Path binFolder() {
    return settings.preinstalled() != null ? settings.preinstalled().resolve("node_modules").resolve(".bin") : home.resolve("bin");
  }

  /** Starts one installer thread per CLI; returns at once. */
  void start() {
    for (Cli cli : Cli.values()) {
      progress.add(cli.id(), cli.label());
    }
    for (Cli cli : Cli.values()) {
      threads.add(Thread.ofVirtual().name("cli-install-" + cli.id()).start(() -> settle(cli)));
    }
  }

  /** Waits for every installer thread, up to the limit of one install; for {@code mason tools}. */
  void await() throws InterruptedException {
    for (Thread thread : threads) {
      thread.join(Npm.INSTALL_LIMIT.plusMinutes(1));
    }
  }

  /** Stops installs still running (their npm is killed by the interrupt). */
  void stop() {
    threads.forEach(Thread::interrupt);
  }

  private void settle(Cli cli) {
    try {
      if (settings.preinstalled() != null) {
        Path modules = settings.preinstalled().resolve("node_modules");
        String version = installedVersion(modules, cli);
        if (version != null && Files.exists(modules.resolve(".bin").resolve(cli.command()))) {
          progress.complete(cli.id(), version);
        } else {
          progress.failed(cli.id(), "not installed in " + modules + " (" + cli.npmPackage() + " is missing from the npm install there)");
        }
        return;
      }
      String pin = pins.version(cli);
      if (pin == null) {
        progress.failed(cli.id(), cli.npmPackage() + " has no pinned version in " + CliPins.RESOURCE);
        return;
      }
      Path prefix = prefix(cli);
      if (pin.equals(installedVersion(prefix.resolve("node_modules"), cli)) && link(cli, prefix)) {
        progress.complete(cli.id(), pin);
        return;
      }
      if (!settings.install()) {
        progress.failed(cli.id(), "not installed, and MASON_CLIS_INSTALL=false");
        return;
      }
      progress.running(cli.id());
      writePackageJson(prefix, cli, pin);
      log.info("Installing {} {} with npm", cli.npmPackage(), pin);
      Npm.Result result = npm.install(prefix);
      String installed = installedVersion(prefix.resolve("node_modules"), cli);
      if (result.ok() && pin.equals(installed) && link(cli, prefix)) {
        log.info("{} {} is ready", cli.label(), pin);
        progress.complete(cli.id(), pin);
      } else {
        String reason = result.ok() ? "npm finished but " + cli.npmPackage() + " " + pin + " is not in " + prefix : result.reason();
        log.warn("{} could not be installed: {}", cli.label(), reason);
        progress.failed(cli.id(), reason);
      }
    } catch (IOException | RuntimeException e) {
      log.warn("{} could not be installed", cli.label(), e);
      progress.failed(cli.id(), e.toString());
    }
  }

  Path prefix(Cli cli) {
    return home.resolve("npm").resolve(cli.id());
  }

  /** The version in {@code node_modules/<package>/package.json}, or null when it is not there. */
  static String installedVersion(Path modules, Cli cli) {
    Path manifest = modules.resolve(cli.npmPackage()).resolve("package.json");
    try {
      JsonNode json = Json.MAPPER.readTree(Files.readString(manifest));
      return json.path("version").isTextual() ? json.path("version").asText() : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static void writePackageJson(Path prefix, Cli cli, String version) throws IOException {
    Files.createDirectories(prefix);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("name", "mason-cli-" + cli.id());
    manifest.put("private", true);
    manifest.put("description", "Written by Mason: " + cli.label() + " at the version Mason pins.");
    manifest.put("dependencies", Map.of(cli.npmPackage(), version));
    Files.writeString(prefix.resolve("package.json"), Json.write(manifest) + "\n");
  }

  /** Points {@code bin/<command>} at the CLI's command in its prefix; false when that command is missing. */
  private boolean link(Cli cli, Path prefix) throws IOException {
    Path target = prefix.resolve("node_modules").resolve(".bin").resolve(cli.command());
    if (!Files.exists(target)) {
      return false;
    }
    Path bin = home.resolve("bin");
    Files.createDirectories(bin);
    Path link = bin.resolve(cli.command());
    Path temporary = bin.resolve("." + cli.command() + ".new");
    Files.deleteIfExists(temporary);
    Files.createSymbolicLink(temporary, target);
    Files.move(temporary, link, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    return true;
  }
}
