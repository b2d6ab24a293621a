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
import java.nio.file.attribute.PosixFilePermissions;
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
  private static final long MAX_BACKUP_BYTES = 16 * 1024 * 1024;
  /** The whole zip of a project, from its chunks. */
  private static final String STORED_ZIP =
      "SELECT string_agg(data, ''::bytea ORDER BY seq) FROM project_backup_chunks WHERE project_id = :id";

  static TestMason mason;
  static Jdbi db;
  static Api alice;

  @BeforeAll
  static void start() {
    mason = TestMason.start(Map.of("BACKUP_INTERVAL_SECONDS", "1", "MASON_MAX_BACKUP_BYTES", Long.toString(MAX_BACKUP_BYTES)));
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
    boolean described = db.withHandle(h -> h.createQuery("""
            SELECT b.size_bytes = length(z.zip) AND b.sha256 = encode(sha256(z.zip), 'hex')
            FROM project_backups b, (%s) AS z(zip) WHERE b.project_id = :id""".formatted(STORED_ZIP))
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
  void emptyFoldersAndTheModesOfFilesAndFoldersComeBack() throws Exception {
    String project = createProject(alice, "modes");
    Path folder = folderOf(mason, project);
    Path staging = Files.createTempDirectory(folder.getParent(), ".staging-");
    Path tools = Files.createDirectories(staging.resolve("tools"));
    Files.createDirectories(tools.resolve("empty/deeper"));
    Files.writeString(tools.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(tools.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.writeString(tools.resolve("private.txt"), "mine\n");
    Files.setPosixFilePermissions(tools.resolve("private.txt"), PosixFilePermissions.fromString("rw-------"));
    Files.setPosixFilePermissions(tools.resolve("empty"), PosixFilePermissions.fromString("rwx--x---"));
    Files.move(tools, folder.resolve("tools"));
    Files.delete(staging);
    Map<String, String> modes = modesOfEverything(folder);
    awaitBackupOf(project, 3);
    remove(folder);

    var listing = alice.get("/api/projects/" + project + "/files");

    assertThat(listing.status()).as(listing.toString()).isEqualTo(200);
    assertThat(modesOfEverything(folder)).isEqualTo(modes).containsKeys("tools/empty", "tools/empty/deeper");
  }

  @Test
  void aBackupOfManyChunksIsStreamedBackByteForByte() throws Exception {
    String project = createProject(alice, "large");
    Path folder = folderOf(mason, project);
    byte[] random = new byte[10 * 1024 * 1024];
    new Random(7).nextBytes(random);
    Path staging = Files.createTempFile(folder.getParent(), ".large-", ".bin");
    Files.write(staging, random);
    Files.move(staging, folder.resolve("large.bin"));
    Map<String, String> original = sha256OfEveryFile(folder);
    awaitBackupOf(project, 2);
    long chunks = db.withHandle(h -> h.createQuery("SELECT count(*) FROM project_backup_chunks WHERE project_id = :id")
        .bind("id", UUID.fromString(project)).mapTo(Long.class).one());
    assertThat(chunks).as("the zip is stored in chunks of at most 4 MiB").isGreaterThanOrEqualTo(3);
    remove(folder);

    var content = alice.get("/api/projects/" + project + "/files/content?path=CLAUDE.md");

    assertThat(content.status()).as(content.toString()).isEqualTo(200);
    assertThat(sha256OfEveryFile(folder)).isEqualTo(original);
  }

  @Test
  void aProjectOverTheLimitIsReportedAndItsLastBackupKeptWhole() throws Exception {
    String project = createProject(alice, "too big");
    Path folder = folderOf(mason, project);
    addFiles(folder);
    int files = sha256OfEveryFile(folder).size();
    awaitBackupOf(project, files);
    Row before = backupRow(project);
    byte[] zipBefore = storedBackup(project).orElseThrow();
    assertThat(backupStatus(project).get("problem").isNull()).isTrue();

    // Random bytes do not compress: the zip would pass the 16 MiB limit.
    byte[] random = new byte[20 * 1024 * 1024];
    new Random(11).nextBytes(random);
    Path staging = Files.createTempFile(folder.getParent(), ".huge-", ".bin");
    Files.write(staging, random);
    Files.move(staging, folder.resolve("data/huge.bin"));
    Eventually.await(BACKUP_WAIT, "the backup job to report the project over the limit",
        () -> !backupStatus(project).get("problem").isNull());

    JsonNode status = backupStatus(project);
    assertThat(status.get("problem").asText()).contains("MASON_MAX_BACKUP_BYTES", Long.toString(MAX_BACKUP_BYTES), "is kept");
    assertThat(status.get("file_count").asInt()).isEqualTo(files);
    assertThat(backupRow(project)).as("the last backup is untouched").isEqualTo(before);
    assertThat(storedBackup(project)).as("nothing of the refused backup was written").contains(zipBefore);
    assertThat(bob().get("/api/projects/" + project + "/backup").status()).isEqualTo(404);

    Files.delete(folder.resolve("data/huge.bin"));
    Eventually.await(BACKUP_WAIT, "the problem to clear once the folder is back under the limit",
        () -> backupStatus(project).get("problem").isNull());
    assertThat(backupRow(project)).isEqualTo(before);
  }

  @Test
  void aBackupStoredWholeBeforeTheUpgradeIsSplitIntoChunksByTheMigration() throws Exception {
    byte[] zip = new byte[9 * 1024 * 1024 + 5];
    new Random(3).nextBytes(zip);
    UUID project = UUID.randomUUID();
    Jdbi upgrade = MasonDatabase.of(mason.home(), "upgrade_check");
    upgrade.useHandle(h -> {
      h.execute("DROP SCHEMA IF EXISTS upgrade_check CASCADE");
      h.execute("CREATE SCHEMA upgrade_check");
      for (String migration : List.of("V1__projects.sql", "V2__executions.sql", "V3__delegated_tasks.sql")) {
        h.createScript(migration(migration)).execute();
      }
      h.createUpdate("INSERT INTO projects (id, name, owner) VALUES (:id, 'old', 'alice@example.com')").bind("id", project).execute();
      h.createUpdate("""
              INSERT INTO project_backups (project_id, data, size_bytes, sha256, fingerprint, file_count)
              VALUES (:id, :data, length(:data), encode(sha256(:data), 'hex'), 'fp', 1)""")
          .bind("id", project).bind("data", zip).execute();

      h.createScript(migration("V9__backup_chunks.sql")).execute();

      List<Integer> sizes = h.createQuery("SELECT length(data) FROM project_backup_chunks WHERE project_id = :id ORDER BY seq")
          .bind("id", project).mapTo(Integer.class).list();
      assertThat(sizes).containsExactly(4 * 1024 * 1024, 4 * 1024 * 1024, 1024 * 1024 + 5);
      assertThat(h.createQuery("SELECT string_agg(data, ''::bytea ORDER BY seq) FROM project_backup_chunks WHERE project_id = :id")
          .bind("id", project).mapTo(byte[].class).one()).isEqualTo(zip);
      h.execute("DROP SCHEMA upgrade_check CASCADE");
    });
  }

  @Test
  void aCorruptBackupIsReportedAndKept() throws Exception {
    String project = createProject(alice, "corrupt");
    Path folder = folderOf(mason, project);
    addFiles(folder);
    awaitBackupOf(project, sha256OfEveryFile(folder).size());
    remove(folder);
    db.useHandle(h -> h.createUpdate("""
            UPDATE project_backup_chunks SET data = overlay(data PLACING '\\xdeadbeef'::bytea FROM 40 FOR 4)
            WHERE project_id = :id AND seq = 0""")
        .bind("id", UUID.fromString(project)).execute());
    byte[] corrupted = storedBackup(project).orElseThrow();

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
    db.useTransaction(h -> {
      h.createUpdate("DELETE FROM project_backup_chunks WHERE project_id = :id").bind("id", UUID.fromString(project)).execute();
      h.createUpdate("INSERT INTO project_backup_chunks (project_id, seq, data) VALUES (:id, 0, :data)")
          .bind("id", UUID.fromString(project)).bind("data", garbage).execute();
      h.createUpdate("UPDATE project_backups SET size_bytes = length(:data), sha256 = encode(sha256(:data), 'hex') WHERE project_id = :id")
          .bind("id", UUID.fromString(project)).bind("data", garbage).execute();
    });

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
    // What a kill in the middle of a backup leaves: a partial zip in $MASON_HOME/tmp.
    Path leftover = Files.createDirectories(home.resolve("tmp")).resolve("backup-" + project + "-123.zip");
    Files.write(leftover, new byte[1024 * 1024]);
    try (TestMason second = TestMason.startAt(home, env)) {
      assertThat(leftover).as("temporary zips left by a killed Mason are removed at start").doesNotExist();
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
    return db.withHandle(h -> h.createQuery(STORED_ZIP)
        .bind("id", UUID.fromString(project)).mapTo(byte[].class).findOne());
  }

  private static void awaitBackupOf(String project, int fileCount) {
    Eventually.await(BACKUP_WAIT, "a backup of " + fileCount + " files of project " + project, () ->
        db.withHandle(h -> h.createQuery("SELECT file_count FROM project_backups WHERE project_id = :id")
            .bind("id", UUID.fromString(project)).mapTo(Integer.class).findOne()).orElse(-1) == fileCount);
  }

  private static String migration(String name) throws IOException {
    try (var in = BackupTest.class.getResourceAsStream("/db/migration/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static JsonNode backupStatus(String project) {
    var response = alice.get("/api/projects/" + project + "/backup");
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  private static Api bob() {
    return mason.as("bob@example.com");
  }

  /** The permission bits of every file and folder under {@code folder}, by relative path. */
  private static Map<String, String> modesOfEverything(Path folder) throws IOException {
    Map<String, String> modes = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.filter(p -> !p.equals(folder)).toList()) {
        modes.put(folder.relativize(path).toString(), PosixFilePermissions.toString(Files.getPosixFilePermissions(path)));
      }
    }
    return modes;
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
