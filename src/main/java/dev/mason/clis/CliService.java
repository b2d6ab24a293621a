package dev.mason.clis;

import dev.mason.terminal.CliLauncher;
import dev.mason.terminal.ShellWiring;
import dev.mason.common.Refusal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The coding-agent CLIs of Mason's terminals: installs them in the background ({@link CliInstaller}),
 * reports the setup ({@link SetupProgress}), and gives each new shell their bin folder first on its
 * PATH and their Mason-owned configuration ({@link CliConfigs}).
 */
public final class CliService implements ShellWiring, CliLauncher, AutoCloseable {
  private final SetupProgress progress = new SetupProgress();
  private final CliInstaller installer;
  private final CliConfigs configs;

  /**
   * @param home {@code $MASON_HOME/clis}: the CLIs' installs, links and config folders
   * @param env Mason's environment, for npm (its secrets are removed)
   */
  public CliService(CliSettings settings, Path home, Map<String, String> env, CliConfigs configs) {
    CliPins pins = CliPins.effective(home.resolve(ToolsCommand.UPGRADED_PINS));
    this.installer = new CliInstaller(settings, pins, home, new Npm(env, settings.npmRegistry()), progress);
    this.configs = configs;
  }

  /** Starts the installs; returns at once. */
  public void start() {
    installer.start();
  }

  /** {@code /api/setup-status}'s body. */
  public Map<String, Object> setupStatus() {
    return progress.view().json();
  }

  /** The summary {@code /health} carries. */
  public Map<String, Object> summary() {
    return progress.view().summary();
  }

  /** Empty when {@code cli} is ready to run, else what the page should say about it. */
  public Optional<String> notReady(Cli cli) {
    SetupProgress.Step step = progress.step(cli.id());
    if (step == null) {
      return Optional.of(cli.label() + " is not set up");
    }
    return switch (step.status()) {
      case complete -> Optional.empty();
      case pending -> Optional.of(cli.label() + " is waiting to be installed");
      case running -> Optional.of(cli.label() + " is still being installed");
      case error -> Optional.of(cli.label() + " could not be installed: " + step.error());
    };
  }

  /** Where the CLI's executable is once it is ready (see {@link #notReady}): in the bin folder of the installed CLIs. */
  public Path executable(Cli cli) {
    return installer.binFolder().resolve(cli.command());
  }

  /** The command that starts the CLI named {@code id} in a shell: its path in the bin folder, quoted for bash. */
  @Override
  public String command(String id) {
    Cli cli = Cli.byId(id).orElseThrow(() -> Refusal.badRequest("cli", "unknown CLI '" + id + "': one of "
        + java.util.Arrays.stream(Cli.values()).map(Cli::id).toList()));
    notReady(cli).ifPresent(reason -> {
      throw Refusal.conflict(reason);
    });
    return "'" + installer.binFolder().resolve(cli.command()).toString().replace("'", "'\\''") + "'";
  }

  @Override
  public Map<String, String> open(String sessionId) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(PATH_FIRST, installer.binFolder().toString());
    env.putAll(configs.write());
    return env;
  }

  @Override
  public void close(String sessionId) {}

  @Override
  public void close() {
    installer.stop();
  }
}
