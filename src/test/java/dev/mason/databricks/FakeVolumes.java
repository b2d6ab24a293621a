package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.stream.Stream;

/**
 * The Files API over Unity Catalog volumes ({@code /api/2.0/fs/files}, {@code /fs/directories}):
 * raw bytes up and down, directory listings with paging, HEAD for metadata. A path must lie in a
 * volume created through the catalog (or {@link #mkdirs}).
 */
final class FakeVolumes {
  private static final String FILES = "/api/2.0/fs/files";
  private static final String DIRECTORIES = "/api/2.0/fs/directories";
  private final FakeWorkspace fake;
  private final Map<String, byte[]> files = new ConcurrentSkipListMap<>();
  private final Map<String, Long> modified = new ConcurrentHashMap<>();
  private final Set<String> directories = ConcurrentHashMap.newKeySet();

  FakeVolumes(FakeWorkspace fake) {
    this.fake = fake;
  }

  /** Creates a directory and its parents (a volume's root is made when the volume is). */
  void mkdirs(String path) {
    String p = path;
    while (p.length() > 1) {
      directories.add(p);
      p = parent(p);
    }
  }

  /** Puts a file (and its folders) as an upload would. */
  void put(String path, String content) {
    mkdirs(parent(path));
    files.put(path, content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    modified.put(path, System.currentTimeMillis());
  }

  byte[] file(String path) {
    return files.get(path);
  }

  void addTo(RoutesConfig routes) {
    routes.put(FILES + "/<path>", this::upload);
    routes.get(FILES + "/<path>", this::download);
    routes.head(FILES + "/<path>", ctx -> {
      byte[] content = existing(path(ctx));
      headers(ctx, path(ctx), content);
    });
    routes.delete(FILES + "/<path>", ctx -> {
      existing(path(ctx));
      files.remove(path(ctx));
      ctx.status(204);
    });
    routes.get(DIRECTORIES + "/<path>", this::list);
    routes.put(DIRECTORIES + "/<path>", ctx -> {
      inVolume(path(ctx));
      mkdirs(path(ctx));
      ctx.status(204);
    });
    routes.head(DIRECTORIES + "/<path>", ctx -> {
      directory(path(ctx));
      ctx.status(200);
    });
    routes.delete(DIRECTORIES + "/<path>", ctx -> {
      String path = path(ctx);
      directory(path);
      if (!children(path).isEmpty()) {
        throw new FakeError(409, "DIRECTORY_NOT_EMPTY", "The directory " + path + " is not empty.");
      }
      directories.remove(path);
      ctx.status(204);
    });
  }

  private static String path(Context ctx) {
    String path = "/" + ctx.pathParam("path");
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
  }

  private void inVolume(String path) {
    String[] parts = path.split("/");
    if (parts.length < 5 || !parts[1].equals("Volumes") || !directories.contains(String.join("/", List.of(parts).subList(0, 5)))) {
      throw new FakeError(404, "NOT_FOUND", "The volume of " + path + " does not exist.");
    }
  }

  private void upload(Context ctx) {
    String path = path(ctx);
    inVolume(path);
    if (files.containsKey(path) && !"true".equals(ctx.queryParam("overwrite"))) {
      throw new FakeError(409, "ALREADY_EXISTS", "The file " + path + " already exists.");
    }
    mkdirs(parent(path));
    files.put(path, ctx.bodyAsBytes());
    modified.put(path, System.currentTimeMillis());
    ctx.status(204);
  }

  private void download(Context ctx) {
    String path = path(ctx);
    byte[] content = existing(path);
    headers(ctx, path, content);
    ctx.result(content);
  }

  private void headers(Context ctx, String path, byte[] content) {
    ctx.contentType("application/octet-stream");
    ctx.header("Content-Length", Integer.toString(content.length));
    ctx.header("Last-Modified", DateTimeFormatter.RFC_1123_DATE_TIME.format(
        Instant.ofEpochMilli(modified.getOrDefault(path, 0L)).atOffset(ZoneOffset.UTC)));
  }

  private byte[] existing(String path) {
    byte[] content = files.get(path);
    if (content == null) {
      throw new FakeError(404, "NOT_FOUND", "The file " + path + " does not exist.");
    }
    return content;
  }

  private void directory(String path) {
    if (!directories.contains(path)) {
      throw new FakeError(404, "NOT_FOUND", "The directory " + path + " does not exist.");
    }
  }

  private List<String> children(String directory) {
    String prefix = directory + "/";
    return Stream.concat(files.keySet().stream(), directories.stream())
        .filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
        .sorted().toList();
  }

  private void list(Context ctx) {
    String path = path(ctx);
    directory(path);
    List<String> children = children(path);
    int size = ctx.queryParam("page_size") == null ? 1000 : Integer.parseInt(ctx.queryParam("page_size"));
    int from = ctx.queryParam("page_token") == null ? 0 : Integer.parseInt(ctx.queryParam("page_token"));
    ObjectNode body = FakeWorkspace.object();
    ArrayNode contents = body.putArray("contents");
    for (String child : children.subList(from, Math.min(children.size(), from + size))) {
      ObjectNode entry = contents.addObject().put("path", child).put("name", child.substring(child.lastIndexOf('/') + 1))
          .put("is_directory", directories.contains(child));
      if (files.containsKey(child)) {
        entry.put("file_size", files.get(child).length).put("last_modified", modified.getOrDefault(child, 0L));
      }
    }
    if (from + size < children.size()) {
      body.put("next_page_token", Integer.toString(from + size));
    }
    ctx.json(body);
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
