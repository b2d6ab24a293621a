package dev.mason.project;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.testing.Api;
import dev.mason.testing.Eventually;
import dev.mason.testing.MasonDatabase;
import dev.mason.testing.TestMason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Project folders are zipped into PostgreSQL when they change, restored synchronously when
 * missing, and a backup is never lost: not to corruption, not to a missing folder.
 */
class BackupTest {
  private static final Duration BACKUP_WAIT = Duration.ofSeconds(20);

  static TestMason mason;
  static Jdbi db;
  static Api alice;

  @BeforeAll
  static void start() {
    mason = TestMason.start(Map.of("BACKUP_INTERVAL_SECONDS", "1"));
    db = MasonDatabase.of(mason);
    alice = mason.as("alice@example.com");
  }

  @AfterAll
  static void stop() {
    mason.close();
  }

  @Test
  void aMissingFolderIsRestoredByteForByteOnFirstAccess() throws Exception {
    String project = createProject(alice, "restore me");
    Path folder = folderOf(mason, project);
    addFiles(folder);
    Map<String, String> original = sha256OfEveryFile(folder);
    awaitBackupOf(project, original.size());
    boolean described = db.withHandle(h -> h.createQuery(
            "SELECT size_bytes = length(data) AND sha256 = encode(sha256(data), 'hex') FROM project_backups WHERE project_id = :id")
        .bind("id", UUID.fromString(project)).mapTo(Boolean.class).one());
    assertThat(described).as("the recorded size and sha256 describe the stored zip").isTrue();

    remove(folder);
    JsonNode listing = alice.get("/api/projects/" + project + "/files").json();

    assertThat(listing.get("files").findValuesAsText("path")).containsExactlyInAnyOrderElementsOf(original.keySet());
    assertThat(sha256OfEveryFile(folder)).isEqualTo(original);
  }

  @Test
  void concurrentFirstAccessesRestoreOnceAndAllSeeTheWholeFolder() throws Exception {
    String project = createProject(alice, "popular");
    Path folder = folderOf(mason, project);
    addFiles(folder);
    Map<String, String> original = sha256OfEveryFile(folder);
    awaitBackupOf(project, original.size());
    remove(folder);

    List<Api.Response> responses;
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Api.Response>> pending = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String path = i % 2 == 0 ? "/files" : "/files/content?path=data/etl.py";
        pending.add(threads.submit(() -> alice.get("/api/projects/" + project + path)));
      }
      responses = new ArrayList<>();
      for (Future<Api.Response> response : pending) {
        responses.add(response.get(30, TimeUnit.SECONDS));
      }
    }

    assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    responses.stream().filter(r -> r.json().has("files")).forEach(r ->
        assertThat(r.json().get("files").findValuesAsText("path")).containsExactlyInAnyOrderElementsOf(original.keySet()));
    assertThat(sha256OfEveryFile(folder)).isEqualTo(original);
  }

  @Test
  void aCorruptBackupIsReportedAndKept() throws Exception {
    String project = createProject(alice, "corrupt");
    Path folder = folderOf(mason, project);
    addFiles(folder);
    awaitBackupOf(project, sha256OfEveryFile(folder).size());
    remove(folder);
    byte[] corrupted = db.withHandle(h -> h.createQuery("""
            UPDATE project_backups SET data = overlay(data PLACING '\\xdeadbeef'::bytea FROM 40 FOR 4)
            WHERE project_id = :id RETURNING data""")
        .bind("id", UUID.fromString(project)).mapTo(byte[].class).one());

    assertCorruptionIsReported(project, folder);
    assertThat(storedBackup(project)).as("the corrupt backup is kept for inspection").contains(corrupted);
  }

  @Test
  void aBackupThatIsNoZipIsReportedEvenWhenItsChecksumMatches() throws Exception {
    String project = createProject(alice, "not a zip");
    Path folder = folderOf(mason, project);
    addFiles(folder);
    awaitBackupOf(project, sha256OfEveryFile(folder).size());
    remove(folder);
    byte[] garbage = "these bytes are not a zip archive".getBytes(StandardCharsets.UTF_8);
    db.useHandle(h -> h.createUpdate("""
            UPDATE project_backups SET data = :data, size_bytes = length(:data), sha256 = encode(sha256(:data), 'hex')
            WHERE project_id = :id""")
        .bind("id", UUID.fromString(project)).bind("data", garbage).execute());

    assertCorruptionIsReported(project, folder);
    assertThat(storedBackup(project)).contains(garbage);
  }

  @Test
  void theBackupJobSkipsAMissingFolderInsteadOfReplacingItsBackup() throws Exception {
    String missing = createProject(alice, "goes missing");
    String witness = createProject(alice, "keeps changing");
    addFiles(folderOf(mason, missing));
    awaitBackupOf(missing, sha256OfEveryFile(folderOf(mason, missing)).size());
    awaitBackupOf(witness, 1);
    Row before = backupRow(missing);

    remove(folderOf(mason, missing));
    Files.writeString(folderOf(mason, witness).resolve("notes.md"), "a change the next pass must pick up");
    // The witness's new backup proves a whole pass ran after the folder went missing.
    awaitBackupOf(witness, 2);

    assertThat(backupRow(missing)).isEqualTo(before);
    assertThat(Files.exists(folderOf(mason, missing))).as("the job must not recreate the folder").isFalse();
  }

  @Test
  void anUnchangedProjectIsNotZippedAgain() throws Exception {
    String still = createProject(alice, "still");
    String witness = createProject(alice, "busy");
    awaitBackupOf(still, 1);
    awaitBackupOf(witness, 1);
    Row before = backupRow(still);

    Files.writeString(folderOf(mason, witness).resolve("more.md"), "changed");
    awaitBackupOf(witness, 2);

    assertThat(backupRow(still)).isEqualTo(before);
  }

  @Test
  void changesAreBackedUpAtGracefulShutdownAndRestoredAfterARestart() throws Exception {
    Path home = TestMason.freshHome();
    // An interval far beyond the test: only the shutdown pass can write the backup.
    Map<String, String> env = Map.of("BACKUP_INTERVAL_SECONDS", "3600");
    String project;
    Map<String, String> original;
    try (TestMason first = TestMason.startAt(home, env)) {
      project = createProject(first.as("alice@example.com"), "shutdown");
      addFiles(folderOf(first, project));
      original = sha256OfEveryFile(folderOf(first, project));
    }
    try (TestMason second = TestMason.startAt(home, env)) {
      Path folder = folderOf(second, project);
      remove(folder);

      var listing = second.as("alice@example.com").get("/api/projects/" + project + "/files");

      assertThat(listing.status()).as(listing.toString()).isEqualTo(200);
      assertThat(sha256OfEveryFile(folder)).isEqualTo(original);
    }
  }

  private static void assertCorruptionIsReported(String project, Path folder) {
    for (String path : new String[] {"/files", "/files/content?path=CLAUDE.md"}) {
      var response = alice.get("/api/projects/" + project + path);
      assertThat(response.status()).as(response.toString()).isEqualTo(500);
      assertThat(response.json().get("error").asText()).contains("backup", project, "corrupt");
      assertThat(response.body()).doesNotContain("Exception", "at dev.mason");
      assertThat(Files.exists(folder)).as("nothing half-restored is left in place").isFalse();
    }
  }

  record Row(String sha256, long size, OffsetDateTime takenAt) {}

  private static Row backupRow(String project) {
    return db.withHandle(h -> h.createQuery("SELECT sha256, size_bytes, taken_at FROM project_backups WHERE project_id = :id")
        .bind("id", UUID.fromString(project))
        .map((rs, ctx) -> new Row(rs.getString(1), rs.getLong(2), rs.getObject(3, OffsetDateTime.class))).one());
  }

  private static Optional<byte[]> storedBackup(String project) {
    return db.withHandle(h -> h.createQuery("SELECT data FROM project_backups WHERE project_id = :id")
        .bind("id", UUID.fromString(project)).mapTo(byte[].class).findOne());
  }

  private static void awaitBackupOf(String project, int fileCount) {
    Eventually.await(BACKUP_WAIT, "a backup of " + fileCount + " files of project " + project, () ->
        db.withHandle(h -> h.createQuery("SELECT file_count FROM project_backups WHERE project_id = :id")
            .bind("id", UUID.fromString(project)).mapTo(Integer.class).findOne()).orElse(-1) == fileCount);
  }

  private static String createProject(Api api, String name) {
    var response = api.post("/api/projects", "{\"name\": \"" + name + "\"}");
    assertThat(response.status()).as(response.toString()).isEqualTo(201);
    return response.json().get("id").asText();
  }

  private static Path folderOf(TestMason mason, String project) {
    return mason.home().resolve("projects").resolve(project);
  }

  /**
   * Text, binary, empty, nested and non-ASCII files. They are written beside the folder and moved
   * in with one rename, so a backup pass never sees them half-written.
   */
  private static void addFiles(Path folder) throws IOException {
    Path staging = Files.createTempDirectory(folder.getParent(), ".staging-");
    Path data = staging.resolve("data");
    Files.createDirectories(data.resolve("nested/deeper"));
    Files.writeString(data.resolve("etl.py"), "print('hello')\n");
    byte[] random = new byte[300 * 1024];
    new Random(42).nextBytes(random);
    Files.write(data.resolve("nested/blob.bin"), random);
    Files.write(data.resolve("nested/deeper/empty.txt"), new byte[0]);
    Files.writeString(data.resolve("nested/deeper/données é.md"), "ünïcödé\n");
    Files.move(data, folder.resolve("data"));
    Files.delete(staging);
  }

  /** Takes the folder away in one rename (as a wiped disk would), then deletes it. */
  private static void remove(Path folder) throws IOException {
    Path aside = folder.resolveSibling(".removed-" + UUID.randomUUID());
    Files.move(folder, aside);
    try (Stream<Path> paths = Files.walk(aside)) {
      paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
        try {
          Files.delete(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  private static Map<String, String> sha256OfEveryFile(Path folder) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        sums.put(folder.relativize(path).toString(), sha256(Files.readAllBytes(path)));
      }
    }
    return sums;
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
