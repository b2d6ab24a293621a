package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The one upload loop of the tools that copy project files to the workspace (volumes, workspace
 * files): the files {@code local_path} selects ({@link ProjectPaths#select}), each sent to its place
 * below the target, and a result collected for each file. A file that fails is reported beside the
 * ones that went; only when none went is the whole call a failure.
 */
final class UploadWalk {
  /** Sends one project file to {@code destination}; a {@link ToolFailure} or {@link WorkspaceException} fails that file only. */
  interface Sender {
    void send(Path file, String destination) throws IOException;
  }

  private UploadWalk() {}

  /**
   * @param target the folder the files go to, or the file's own path when {@code localPath} is one
   *     file and {@code target} does not end with '/'
   * @param targetField the name each result gives its destination ({@code volume_path}, {@code workspace_path})
   * @return {@code {"uploaded_count", "failed_count", "uploaded": [...], "failed": [...]}}; failed only when some did
   * @throws ToolFailure with that same report when no file went
   */
  static String upload(ToolCall call, String localPath, String target, String targetField, Sender sender) throws IOException {
    Path root = call.context().projectFolder().toRealPath();
    List<Path> files = ProjectPaths.select(root, localPath);
    boolean singleFile = ProjectPaths.isSingleFile(root, localPath);
    Path base = ProjectPaths.base(root, localPath);
    String folder = target.length() > 1 && target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    ArrayNode uploaded = Json.MAPPER.createArrayNode();
    ArrayNode failed = Json.MAPPER.createArrayNode();
    for (Path file : files) {
      String local = root.relativize(file).toString();
      String destination = singleFile && !target.endsWith("/") ? folder : folder + "/" + base.relativize(file).toString().replace('\\', '/');
      try {
        sender.send(file, destination);
        uploaded.addObject().put("local", local).put(targetField, destination).put("size", Files.size(file));
      } catch (ToolFailure e) {
        failed.addObject().put("local", local).put("error", e.getMessage());
      } catch (WorkspaceException e) {
        failed.addObject().put("local", local).put("error", ErrorText.of(e, call.caller()));
      }
    }
    ObjectNode out = Json.MAPPER.createObjectNode().put("uploaded_count", uploaded.size()).put("failed_count", failed.size());
    out.set("uploaded", uploaded);
    if (!failed.isEmpty()) {
      out.set("failed", failed);
    }
    if (uploaded.isEmpty()) {
      throw new ToolFailure(out.toString());
    }
    return out.toString();
  }
}
