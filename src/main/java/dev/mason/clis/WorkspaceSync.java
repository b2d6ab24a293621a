package dev.mason.clis;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mason.common.Refusal;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the git repositories under the shells' projects folder to the owner's workspace folder
 * {@code /Workspace/Users/<owner>/projects/<repo>} after each commit: the files a commit changed
 * or deleted since the last sync (the whole tree only the first time), read from the commit
 * itself, through the Workspace API as the owner. The post-commit hook only asks ({@link #request});
 * the sync runs here, on one named thread, so the commit never waits and every sync is recorded
 * (last time, commit, files, error) for the page and for {@code mason sync}.
 *
 * <p>Thread-safe: records live in a concurrent map; syncs run one at a time on the
 * {@code workspace-sync} thread, and a request for a repository already queued is merged into it.
 * The last synced commit of each repository is kept in {@code state.json}, so a restart does not
 * send the whole tree again.
 */
public final class WorkspaceSync implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WorkspaceSync.class);
  private static final long MAX_FILE_BYTES = 10L * 1024 * 1024;

  /** Where files go and as whom: the Workspace API acting as the terminal owner. */
  public interface WorkspaceFiles {
    /** The owner's user name; null while it is not known. */
    String owner();

    void put(String path, byte[] content);

    void delete(String path);
  }

  /** One repository's sync, as the page shows it. {@code status}: queued, syncing, synced or failed. */
  public record Record(String repo, String path, String workspacePath, String status, Instant lastSyncAt, String lastCommit,
      int uploaded, int deleted, List<String> files, String error) {}

  private final Path projects;
  private final Path stateFile;
  private final WorkspaceFiles workspace;
  private final Map<String, Record> records = new ConcurrentHashMap<>();
  private final Set<String> queued = ConcurrentHashMap.newKeySet();
  private final Map<String, String> synced;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("workspace-sync").factory());

  /**
   * @param projects the shells' projects folder: only repositories inside it are synced
   * @param stateFile where the last synced commit of each repository is kept
   */
  public WorkspaceSync(Path projects, Path stateFile, WorkspaceFiles workspace) {
    this.projects = projects.toAbsolutePath().normalize();
    this.stateFile = stateFile;
    this.workspace = workspace;
    this.synced = new ConcurrentHashMap<>(readState(stateFile));
  }

  /** Queues a sync of the repository at {@code path}; returns at once. 400 for a folder outside the projects folder. */
  public Record request(String path) {
    Path repo = Path.of(path).toAbsolutePath().normalize();
    if (!repo.startsWith(projects) || repo.equals(projects)) {
      throw Refusal.badRequest("path", "only repositories inside the projects folder " + projects + " are synced");
    }
    if (!Files.isDirectory(repo.resolve(".git"))) {
      throw Refusal.badRequest("path", "no git repository at " + repo);
    }
    String key = repo.toString();
    Record before = records.get(key);
    Record queuedRecord = new Record(repo.getFileName().toString(), key, destination(repo), "queued",
        before == null ? null : before.lastSyncAt(), before == null ? synced.get(key) : before.lastCommit(),
        before == null ? 0 : before.uploaded(), before == null ? 0 : before.deleted(), before == null ? List.of() : before.files(),
        before == null ? null : before.error());
    records.put(key, queuedRecord);
    if (queued.add(key)) {
      worker.execute(() -> {
        queued.remove(key);
        sync(repo);
      });
    }
    return queuedRecord;
  }

  /** Retries the repository named {@code repo} (its folder name) or at that path. */
  public Record retry(String repo) {
    Path path = repo.startsWith("/") ? Path.of(repo) : projects.resolve(repo);
    return request(path.toString());
  }

  /** Every repository synced or asked for since start, newest first. */
  public List<Record> records() {
    List<Record> all = new ArrayList<>(records.values());
    all.sort(Comparator.comparing((Record r) -> r.lastSyncAt() == null ? Instant.MAX : r.lastSyncAt()).reversed());
    return all;
  }

  private String destination(Path repo) {
    String owner = workspace.owner();
    return "/Workspace/Users/" + (owner == null ? "<owner>" : owner) + "/projects/" + repo.getFileName();
  }

  private void sync(Path repo) {
    String key = repo.toString();
    String target = destination(repo);
    Record previous = records.get(key);
    records.put(key, new Record(repo.getFileName().toString(), key, target, "syncing", previous.lastSyncAt(), previous.lastCommit(),
        previous.uploaded(), previous.deleted(), previous.files(), previous.error()));
    List<String> files = new ArrayList<>();
    int uploaded = 0;
    int deleted = 0;
    String head = null;
    try {
      if (workspace.owner() == null) {
        throw new IllegalStateException("the terminal owner is not known yet");
      }
      head = new String(git(repo, "rev-parse", "HEAD"), StandardCharsets.UTF_8).strip();
      String last = synced.get(key);
      if (last != null && !exists(repo, last)) {
        last = null; // history rewritten: send the whole tree again
      }
      List<String[]> changes = last == null ? allFiles(repo) : changes(repo, last, head);
      for (String[] change : changes) {
        String file = change[1];
        String remote = target + "/" + file;
        if (change[0].equals("D")) {
          workspace.delete(remote);
          deleted++;
        } else {
          byte[] content = git(repo, "cat-file", "blob", head + ":" + file);
          if (content.length > MAX_FILE_BYTES) {
            throw new IllegalStateException(file + " is larger than 10 MB, the workspace's limit");
          }
          workspace.put(remote, content);
          uploaded++;
        }
        files.add(change[0] + " " + file);
      }
      synced.put(key, head);
      writeState();
      records.put(key, new Record(repo.getFileName().toString(), key, target, "synced", Instant.now(), head, uploaded, deleted,
          List.copyOf(files), null));
      log.info("Synced {} to {}: {} uploaded, {} deleted", repo.getFileName(), target, uploaded, deleted);
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      records.put(key, new Record(repo.getFileName().toString(), key, target, "failed", Instant.now(), synced.get(key), uploaded, deleted,
          List.copyOf(files), reason));
      log.warn("Sync of {} to {} failed: {}", repo.getFileName(), target, reason);
    }
  }

  private static List<String[]> allFiles(Path repo) throws IOException {
    List<String[]> all = new ArrayList<>();
    for (String file : split(git(repo, "ls-tree", "-r", "-z", "--name-only", "HEAD"))) {
      all.add(new String[] {"A", file});
    }
    return all;
  }

  /** {@code git diff --name-status}: pairs of status and path, renames as a delete and an add. */
  private static List<String[]> changes(Path repo, String from, String to) throws IOException {
    List<String> fields = split(git(repo, "diff", "--name-status", "--no-renames", "-z", from, to));
    List<String[]> changes = new ArrayList<>();
    for (int i = 0; i + 1 < fields.size(); i += 2) {
      changes.add(new String[] {fields.get(i).substring(0, 1), fields.get(i + 1)});
    }
    return changes;
  }

  private static boolean exists(Path repo, String commit) {
    try {
      git(repo, "cat-file", "-e", commit + "^{commit}");
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<String> split(byte[] output) {
    List<String> parts = new ArrayList<>();
    for (String part : new String(output, StandardCharsets.UTF_8).split("\0")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    return parts;
  }

  private static byte[] git(Path repo, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    byte[] out = process.getInputStream().readAllBytes();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException("git " + args[0] + " did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (process.exitValue() != 0) {
      throw new IOException("git " + String.join(" ", args) + " failed (exit " + process.exitValue() + ")");
    }
    return out;
  }

  private static Map<String, String> readState(Path file) {
    try {
      return Files.isRegularFile(file) ? Json.MAPPER.readValue(Files.readString(file), new TypeReference<Map<String, String>>() {}) : Map.of();
    } catch (IOException e) {
      log.warn("Ignoring {}: {}", file, e.toString());
      return Map.of();
    }
  }

  private void writeState() throws IOException {
    CliConfigs.write(stateFile, Json.write(new LinkedHashMap<>(synced)));
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }
}
