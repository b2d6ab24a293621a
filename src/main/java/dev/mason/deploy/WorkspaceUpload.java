package dev.mason.deploy;

import com.databricks.sdk.WorkspaceClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.service.workspace.Delete;
import com.databricks.sdk.service.workspace.ExportFormat;
import com.databricks.sdk.service.workspace.ExportRequest;
import com.databricks.sdk.service.workspace.Import;
import com.databricks.sdk.service.workspace.ImportFormat;
import com.databricks.sdk.service.workspace.ObjectInfo;
import com.databricks.sdk.service.workspace.ObjectType;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Uploads a package folder to a workspace folder, changed files only: a manifest of every file's
 * sha256 ({@value #MANIFEST}) is kept beside the files, and a file is sent when its hash differs
 * from the manifest's or the workspace no longer lists it. Files the package no longer has are
 * deleted. The manifest is written last, so an upload that fails half-way sends the rest next time.
 */
final class WorkspaceUpload {
  static final String MANIFEST = ".mason-manifest.json";

  /** How the upload went: files sent, unchanged and deleted. */
  record Result(int uploaded, int unchanged, int deleted) {
    int changed() {
      return uploaded + deleted;
    }
  }

  private final WorkspaceClient client;
  private final PrintStream out;

  WorkspaceUpload(WorkspaceClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  Result upload(Path folder, String target) throws IOException {
    Map<String, String> local = new TreeMap<>();
    for (Path file : AppPackage.files(folder)) {
      local.put(file.toString().replace('\\', '/'), sha256(folder.resolve(file)));
    }
    Set<String> remote = list(target);
    Map<String, String> manifest = remote.contains(MANIFEST) ? manifest(target) : Map.of();
    List<String> send = local.keySet().stream()
        .filter(name -> !remote.contains(name) || !local.get(name).equals(manifest.get(name))).toList();
    List<String> stale = remote.stream().filter(name -> !name.equals(MANIFEST) && !local.containsKey(name)).toList();
    Set<String> folders = new TreeSet<>();
    for (String name : send) {
      int slash = name.lastIndexOf('/');
      folders.add(slash < 0 ? "" : name.substring(0, slash));
    }
    for (String dir : folders) {
      call("create folder " + target + "/" + dir, () -> client.workspace().mkdirs(dir.isEmpty() ? target : target + "/" + dir));
    }
    long bytes = 0;
    for (String name : send) {
      byte[] content = Files.readAllBytes(folder.resolve(name));
      bytes += content.length;
      call("upload " + name, () -> client.workspace().importContent(new Import().setPath(target + "/" + name)
          .setContent(Base64.getEncoder().encodeToString(content)).setFormat(ImportFormat.AUTO).setOverwrite(true)));
    }
    for (String name : stale) {
      call("delete " + name, () -> client.workspace().delete(new Delete().setPath(target + "/" + name).setRecursive(false)));
    }
    if (!send.isEmpty() || !stale.isEmpty() || !remote.contains(MANIFEST)) {
      byte[] written = Json.write(local).getBytes(StandardCharsets.UTF_8);
      call("upload " + MANIFEST, () -> client.workspace().mkdirs(target));
      call("upload " + MANIFEST, () -> client.workspace().importContent(new Import().setPath(target + "/" + MANIFEST)
          .setContent(Base64.getEncoder().encodeToString(written)).setFormat(ImportFormat.AUTO).setOverwrite(true)));
    }
    out.printf("Uploaded %d files (%.1f MB) to %s; %d unchanged, %d deleted%n", send.size(), bytes / 1e6, target,
        local.size() - send.size(), stale.size());
    return new Result(send.size(), local.size() - send.size(), stale.size());
  }

  /** Every file under {@code root}, relative to it; none when the folder does not exist yet. */
  private Set<String> list(String root) {
    Set<String> files = new TreeSet<>();
    List<String> folders = new ArrayList<>(List.of(root));
    while (!folders.isEmpty()) {
      String dir = folders.removeLast();
      Iterable<ObjectInfo> objects;
      try {
        objects = client.workspace().list(dir);
        for (ObjectInfo object : objects) {
          if (object.getObjectType() == ObjectType.DIRECTORY) {
            folders.add(object.getPath());
          } else {
            files.add(normalized(object.getPath()).substring(normalized(root).length() + 1));
          }
        }
      } catch (DatabricksError e) {
        if (e.getStatusCode() == 404 && dir.equals(root)) {
          return files;
        }
        throw new PackageException(DeployCommand.explain(e, "list " + dir));
      }
    }
    return files;
  }

  /** The workspace lists paths without the {@code /Workspace} prefix. */
  private static String normalized(String path) {
    return path.startsWith("/Workspace/") ? path.substring("/Workspace".length()) : path;
  }

  private Map<String, String> manifest(String target) {
    try {
      String content = client.workspace().export(new ExportRequest().setPath(target + "/" + MANIFEST).setFormat(ExportFormat.AUTO))
          .getContent();
      return Json.MAPPER.readValue(Base64.getDecoder().decode(content), new TypeReference<Map<String, String>>() {});
    } catch (DatabricksError | IOException e) {
      return Map.of(); // unreadable: every file is sent again
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  private static void call(String doing, Action action) throws IOException {
    try {
      action.run();
    } catch (DatabricksError e) {
      throw new PackageException(DeployCommand.explain(e, doing));
    }
  }

  private static String sha256(Path file) throws IOException {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
