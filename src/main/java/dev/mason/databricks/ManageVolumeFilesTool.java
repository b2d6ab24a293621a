package dev.mason.databricks;

import com.databricks.sdk.service.files.GetMetadataResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * manage_volume_files: files in Unity Catalog volumes through the Files API. Uploads come from
 * the project folder and downloads land in it; nothing outside the project is read or written.
 */
final class ManageVolumeFilesTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "upload", "download", "delete", "mkdir", "get_info");
  static final String FILES = "/api/2.0/fs/files";
  private static final String DIRECTORIES = "/api/2.0/fs/directories";
  private static final int MAX_RECURSIVE_DELETE = 1_000;

  ManageVolumeFilesTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_volume_files",
        "Files in Unity Catalog volumes (/Volumes/<catalog>/<schema>/<volume>/...). list: a folder's entries (max_results, "
            + "at most 1000). upload: project files to volume_path (a folder; or the file's path for a single file): "
            + "local_path is a file, folder or glob relative to the project. download: a volume file into the project "
            + "(local_path, default its name at the project's top). delete: DESTROYS a file, or a folder (recursive to delete its "
            + "contents too). mkdir: create a folder and its parents. get_info: size and modification time.",
        InputSchema.object()
            .action("list, upload, download, delete, mkdir or get_info.", ACTIONS)
            .string("volume_path", "A path in a volume, starting with /Volumes/.")
            .string("local_path", "For upload: file, folder or glob in the project. For download: where to save it in the project.")
            .bool("overwrite", "For upload: replace existing files (default true).")
            .bool("recursive", "For delete: delete a folder and everything in it (default false).")
            .integer("max_results", "For list: most entries (default 100, at most 1000).")
            .required("volume_path"));
  }

  @Override
  String run(ToolCall call, Args args, String action) throws IOException {
    String path = volumePath(args.string("volume_path"));
    return switch (action) {
      case "list" -> list(call, path, args.optInt("max_results", 100, 1, 1000));
      case "upload" -> upload(call, args.string("local_path", action), path, args.optBool("overwrite", true));
      case "download" -> download(call, path, args.optString("local_path", path.substring(path.lastIndexOf('/') + 1)));
      case "delete" -> delete(call, path, args.optBool("recursive", false));
      case "mkdir" -> {
        call.api().put(DIRECTORIES + WorkspaceApi.encodePath(path), Json.MAPPER.createObjectNode());
        yield Json.MAPPER.createObjectNode().put("created", path).toString();
      }
      default -> info(call, path);
    };
  }

  static String volumePath(String path) {
    String p = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (!p.startsWith("/Volumes/") || p.split("/").length < 5) {
      throw new ToolFailure("volume_path must look like /Volumes/<catalog>/<schema>/<volume>/..., not " + path);
    }
    if (p.contains("/../") || p.endsWith("/..")) {
      throw new ToolFailure("volume_path must not contain ..");
    }
    return p;
  }

  static List<JsonNode> entries(ToolCall call, String path, int limit) {
    return call.api().collect(DIRECTORIES + WorkspaceApi.encodePath(path), Map.of("page_size", Math.min(limit, 1000)), "contents", limit);
  }

  private static String list(ToolCall call, String path, int limit) {
    ArrayNode items = Json.MAPPER.createArrayNode();
    for (JsonNode entry : entries(call, path, limit)) {
      ObjectNode item = items.addObject().put("path", entry.path("path").asText()).put("is_directory", entry.path("is_directory").asBoolean());
      if (entry.has("file_size")) {
        item.put("size", entry.path("file_size").asLong());
      }
      if (entry.has("last_modified")) {
        item.put("last_modified", entry.path("last_modified").asLong());
      }
    }
    return Json.MAPPER.createObjectNode().put("path", path).put("count", items.size()).set("entries", items).toString();
  }

  private static String upload(ToolCall call, String localPath, String target, boolean overwrite) throws IOException {
    return UploadWalk.upload(call, localPath, target, "volume_path", (file, destination) -> {
      try (InputStream in = Files.newInputStream(file)) {
        call.api().upload(FILES + WorkspaceApi.encodePath(destination), Map.of("overwrite", overwrite), in);
      }
    });
  }

  private static String download(ToolCall call, String path, String localPath) throws IOException {
    Path target = ProjectPaths.inside(call.context().projectFolder(), localPath);
    if (Files.isDirectory(target)) {
      target = ProjectPaths.inside(call.context().projectFolder(), localPath + "/" + path.substring(path.lastIndexOf('/') + 1));
    }
    long size = call.api().download(FILES + WorkspaceApi.encodePath(path), target);
    Path root = call.context().projectFolder().toRealPath();
    return Json.MAPPER.createObjectNode().put("volume_path", path).put("local_path", root.relativize(target).toString())
        .put("size", size).toString();
  }

  private static String delete(ToolCall call, String path, boolean recursive) {
    if (path.split("/").length == 5) {
      throw new ToolFailure("refusing to delete the volume's root " + path + "; delete the volume with manage_uc_objects instead");
    }
    if (isFile(call, path)) {
      call.api().delete(FILES + WorkspaceApi.encodePath(path), Map.of());
      return Json.MAPPER.createObjectNode().put("deleted", path).toString();
    }
    int removed = 0;
    if (recursive) {
      removed = deleteContents(call, path, new int[] {0});
    }
    call.api().delete(DIRECTORIES + WorkspaceApi.encodePath(path), Map.of());
    return Json.MAPPER.createObjectNode().put("deleted", path).put("files_deleted", removed).toString();
  }

  /** Deletes everything under {@code folder}, depth first; returns how many files went. */
  private static int deleteContents(ToolCall call, String folder, int[] budget) {
    int files = 0;
    List<JsonNode> children = new ArrayList<>(entries(call, folder, MAX_RECURSIVE_DELETE));
    for (JsonNode child : children) {
      if (++budget[0] > MAX_RECURSIVE_DELETE) {
        throw new ToolFailure("more than " + MAX_RECURSIVE_DELETE + " entries under " + folder + "; delete sub-folders one at a time");
      }
      String childPath = child.path("path").asText();
      if (child.path("is_directory").asBoolean()) {
        files += deleteContents(call, childPath, budget);
        call.api().delete(DIRECTORIES + WorkspaceApi.encodePath(childPath), Map.of());
      } else {
        call.api().delete(FILES + WorkspaceApi.encodePath(childPath), Map.of());
        files++;
      }
    }
    return files;
  }

  private static boolean isFile(ToolCall call, String path) {
    try {
      call.api().head(FILES + WorkspaceApi.encodePath(path));
      return true;
    } catch (WorkspaceException e) {
      if (e.notFound()) {
        return false;
      }
      throw e;
    }
  }

  private static String info(ToolCall call, String path) {
    try {
      GetMetadataResponse meta = call.api().head(FILES + WorkspaceApi.encodePath(path));
      return Json.MAPPER.createObjectNode().put("path", path).put("is_directory", false).put("size", meta.getContentLength())
          .put("content_type", meta.getContentType()).put("last_modified", meta.getLastModified()).toString();
    } catch (WorkspaceException e) {
      if (!e.notFound()) {
        throw e;
      }
    }
    call.api().head(DIRECTORIES + WorkspaceApi.encodePath(path));
    return Json.MAPPER.createObjectNode().put("path", path).put("is_directory", true).toString();
  }
}
