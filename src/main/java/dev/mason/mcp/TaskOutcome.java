package dev.mason.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.common.Refusal;
import dev.mason.identity.Caller;
import dev.mason.project.Conversation;
import dev.mason.project.Message;
import dev.mason.project.ProjectService;
import dev.mason.web.Json;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a delegated task produced, collected once when it ends and stored with it.
 *
 * <p>Files changed are the project folder's files modified between the task's start and end (new
 * files included), together with every path the run gave to Write or Edit; {@code .git} and
 * {@code .mason} are not walked. Resources created are the entries of the project's
 * {@code .mason/resources.json} recorded in the same window. The answer is the run's last
 * assistant text; usage is the run's total, which the agent stores on its last message.
 *
 * @param answer null when the run wrote no text
 * @param filesTruncated true when the folder had more files than were looked at, or more changes than are listed
 * @param usage null when the run made no model call
 */
record TaskOutcome(String answer, List<String> filesChanged, boolean filesTruncated, List<JsonNode> resourcesCreated,
    List<String> errors, JsonNode usage) {
  private static final Logger log = LoggerFactory.getLogger(TaskOutcome.class);
  static final int MAX_FILES_WALKED = 50_000;
  static final int MAX_FILES_LISTED = 500;
  static final int MAX_ERRORS = 20;
  private static final Set<String> NOT_WALKED = Set.of(".git", ".mason");
  private static final Set<String> FILE_TOOLS = Set.of("Write", "Edit");

  static final TaskOutcome NONE = new TaskOutcome(null, List.of(), false, List.of(), List.of(), null);

  /**
   * Collects the outcome of {@code task}, which ran from its start until {@code end}.
   *
   * @param runError the run's own error (model failure, turn limit), or null
   */
  static TaskOutcome collect(ProjectService projects, DelegatedTask task, String runError, Instant end) {
    List<String> errors = new ArrayList<>();
    if (runError != null) {
      errors.add(runError);
    }
    if (task.startedAt() == null) {
      return new TaskOutcome(null, List.of(), false, List.of(), errors, null);
    }
    // Only the owner's name is used: these reads are scoped by owner, and no workspace call is made.
    Caller owner = new Caller(task.owner(), null, Caller.Source.LOCAL);
    List<Message> messages;
    Path folder;
    try {
      Conversation conversation = projects.conversation(owner, task.projectId(), task.conversationId());
      messages = conversation.messages();
      folder = projects.folder(owner, task.projectId());
    } catch (Refusal gone) {
      errors.add("the task's project or conversation was deleted");
      return new TaskOutcome(null, List.of(), false, List.of(), errors, null);
    }
    String answer = null;
    JsonNode usage = null;
    Set<String> files = new TreeSet<>();
    Map<String, String> toolNames = new HashMap<>();
    for (Message message : messages) {
      if (message.role().equals("assistant") && !message.isError() && !message.text().isBlank()) {
        answer = message.text();
      }
      if (message.usage() != null) {
        usage = message.usage();
      }
      for (JsonNode block : message.content()) {
        switch (block.path("type").asText()) {
          case "tool_use" -> {
            toolNames.put(block.path("id").asText(), block.path("name").asText());
            String path = block.path("input").path("file_path").asText("");
            if (FILE_TOOLS.contains(block.path("name").asText()) && !path.isBlank()) {
              files.add(relative(folder, path));
            }
          }
          case "tool_result" -> {
            if (block.path("is_error").asBoolean(false) && errors.size() < MAX_ERRORS) {
              String tool = toolNames.getOrDefault(block.path("tool_use_id").asText(), "a tool");
              errors.add(tool + ": " + block.path("content").asText("").lines().findFirst().orElse("failed"));
            }
          }
          default -> { }
        }
      }
    }
    boolean truncated = changedFiles(folder, task.startedAt(), end, files);
    if (files.size() > MAX_FILES_LISTED) {
      files = new TreeSet<>(files.stream().limit(MAX_FILES_LISTED).toList());
      truncated = true;
    }
    return new TaskOutcome(answer, List.copyOf(files), truncated, resources(folder, task.startedAt(), end), errors, usage);
  }

  /** Adds the files modified in [start, end] to {@code into}; true when the walk stopped at its limit. */
  private static boolean changedFiles(Path folder, Instant start, Instant end, Set<String> into) {
    int[] seen = {0};
    boolean[] stopped = {false};
    try {
      Files.walkFileTree(folder, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          return !dir.equals(folder) && NOT_WALKED.contains(dir.getFileName().toString())
              ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (++seen[0] > MAX_FILES_WALKED) {
            stopped[0] = true;
            return FileVisitResult.TERMINATE;
          }
          Instant modified = attrs.lastModifiedTime().toInstant();
          if (attrs.isRegularFile() && !modified.isBefore(start) && !modified.isAfter(end)) {
            into.add(folder.relativize(file).toString().replace('\\', '/'));
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      log.warn("Cannot list the files of {}: {}", folder, e.toString());
    }
    return stopped[0];
  }

  /** The manifest's entries created in [start, end], as written (snake_case fields). */
  private static List<JsonNode> resources(Path folder, Instant start, Instant end) {
    Path manifest = folder.resolve(".mason/resources.json");
    if (!Files.isRegularFile(manifest)) {
      return List.of();
    }
    List<JsonNode> created = new ArrayList<>();
    try {
      for (JsonNode entry : Json.MAPPER.readTree(manifest.toFile()).path("resources")) {
        Instant at = Instant.parse(entry.path("created_at").asText());
        if (!at.isBefore(start) && !at.isAfter(end)) {
          created.add(entry);
        }
      }
    } catch (IOException | DateTimeException e) {
      log.warn("Cannot read the resource manifest {}: {}", manifest, e.toString());
    }
    return created;
  }

  /** A path the agent gave, relative to the project folder when it lies inside it. */
  private static String relative(Path folder, String path) {
    try {
      Path given = Path.of(path);
      Path resolved = (given.isAbsolute() ? given : folder.resolve(given)).normalize();
      return resolved.startsWith(folder) ? folder.relativize(resolved).toString().replace('\\', '/') : path;
    } catch (InvalidPathException e) {
      return path;
    }
  }

  ObjectNode toJson() {
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("answer", answer);
    filesChanged.forEach(json.putArray("files_changed")::add);
    json.put("files_truncated", filesTruncated);
    resourcesCreated.forEach(json.putArray("resources_created")::add);
    errors.forEach(json.putArray("errors")::add);
    json.set("usage", usage);
    return json;
  }
}
