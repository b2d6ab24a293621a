package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * manage_workspace_files: copies files of the project into the workspace file tree (a file, a
 * folder or a glob), lists and deletes there. Local paths stay inside the project folder;
 * protected workspace folders (roots, user homes, Git folder roots) are never targets.
 */
final class ManageWorkspaceFilesTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("upload", "delete", "list");
  private static final long MAX_IMPORT_BYTES = 10L * 1024 * 1024;
  private static final String API = "/api/2.0/workspace";

  ManageWorkspaceFilesTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_workspace_files",
        "Workspace files (/Workspace/...). upload: copy project files to workspace_path: local_path is a file, a folder "
            + "(copied recursively) or a glob such as pipelines/*.sql (files keep their path below the glob's folder); a .py "
            + "file starting with '# Databricks notebook source' becomes a notebook. delete: DESTROYS a workspace file or folder "
            + "(recursive for non-empty folders). list: a folder's contents. Roots, /Workspace/Users, /Workspace/Shared, user "
            + "home folders and Git folder roots are refused as targets.",
        InputSchema.object()
            .action("upload, delete or list.", ACTIONS)
            .string("workspace_path", "The workspace path: the target of upload (a folder, or a file for a single file), "
                + "the object to delete, the folder to list.")
            .string("local_path", "For upload: a file, folder or glob, relative to the project folder.")
            .bool("overwrite", "For upload: replace existing files (default true).")
            .bool("recursive", "For delete: delete a folder with its contents (default false).")
            .required("workspace_path"));
  }

  @Override
  String run(ToolCall call, Args args, String action) throws IOException {
    String target = args.string("workspace_path");
    return switch (action) {
      case "upload" -> upload(call, args.string("local_path", action), target, args.optBool("overwrite", true));
      case "delete" -> {
        ProtectedPaths.check(target, "delete");
        call.api().post(API + "/delete", Json.MAPPER.createObjectNode().put("path", target)
            .put("recursive", args.optBool("recursive", false)));
        yield Json.MAPPER.createObjectNode().put("deleted", target).toString();
      }
      default -> {
        ArrayNode objects = Json.MAPPER.createArrayNode();
        for (JsonNode object : call.api().get(API + "/list", Map.of("path", target)).path("objects")) {
          ObjectNode entry = objects.addObject().put("path", object.path("path").asText()).put("type", object.path("object_type").asText());
          if (object.has("language")) {
            entry.put("language", object.path("language").asText());
          }
          if (object.has("size")) {
            entry.put("size", object.path("size").asLong());
          }
        }
        yield Json.MAPPER.createObjectNode().put("path", target).put("count", objects.size()).set("objects", objects).toString();
      }
    };
  }

  private static String upload(ToolCall call, String localPath, String target, boolean overwrite) throws IOException {
    ProtectedPaths.check(target, "upload to");
    Set<String> madeFolders = new LinkedHashSet<>();
    return UploadWalk.upload(call, localPath, target, "workspace_path", (file, destination) -> {
      if (Files.size(file) > MAX_IMPORT_BYTES) {
        throw new ToolFailure("larger than 10 MB, the workspace's limit; put large files in a volume (manage_volume_files)");
      }
      String parent = destination.substring(0, destination.lastIndexOf('/'));
      if (madeFolders.add(parent)) {
        call.api().post(API + "/mkdirs", Json.MAPPER.createObjectNode().put("path", parent));
      }
      call.api().post(API + "/import", Json.MAPPER.createObjectNode().put("path", destination).put("format", "AUTO")
          .put("overwrite", overwrite).put("content", Base64.getEncoder().encodeToString(Files.readAllBytes(file))));
    });
  }
}
