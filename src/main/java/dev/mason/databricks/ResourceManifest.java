package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.common.AtomicFile;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The workspace resources the agent created for a project, in {@code .mason/resources.json} of
 * the project's folder: per project (never one file for everyone), so it travels with the
 * project's backups and another project never sees it.
 *
 * <p>Thread-safe: a read-modify-write holds one of a fixed set of locks chosen by the folder, so
 * two calls of the same project never lose each other's entries; the file is replaced atomically.
 */
final class ResourceManifest {
  static final String FILE = ".mason/resources.json";
  private static final int STRIPES = 64;

  /**
   * @param type job, pipeline, cluster, catalog, schema or volume
   * @param id what the API deletes it by (a job id, a pipeline id, a full name)
   */
  record Resource(String type, String id, String name, String url, String createdAt, String createdBy) {}

  private final ReentrantLock[] locks = new ReentrantLock[STRIPES];

  ResourceManifest() {
    for (int i = 0; i < STRIPES; i++) {
      locks[i] = new ReentrantLock();
    }
  }

  /** Adds {@code resource}, replacing an entry of the same type and id. */
  void record(Path projectFolder, Resource resource) {
    update(projectFolder, resources -> {
      resources.removeIf(r -> r.type().equals(resource.type()) && r.id().equals(resource.id()));
      resources.add(resource);
      return true;
    });
  }

  /** Removes the entry; false when there was none. */
  boolean remove(Path projectFolder, String type, String id) {
    boolean[] removed = {false};
    update(projectFolder, resources -> removed[0] = resources.removeIf(r -> r.type().equals(type) && r.id().equals(id)));
    return removed[0];
  }

  /** The project's resources, oldest first; all types when {@code type} is null. */
  List<Resource> list(Path projectFolder, String type) {
    ReentrantLock lock = lockFor(projectFolder);
    lock.lock();
    try {
      return read(projectFolder).stream().filter(r -> type == null || r.type().equals(type)).toList();
    } finally {
      lock.unlock();
    }
  }

  private void update(Path projectFolder, Predicate<List<Resource>> change) {
    ReentrantLock lock = lockFor(projectFolder);
    lock.lock();
    try {
      List<Resource> resources = new ArrayList<>(read(projectFolder));
      if (change.test(resources)) {
        write(projectFolder, resources);
      }
    } finally {
      lock.unlock();
    }
  }

  private List<Resource> read(Path projectFolder) {
    Path file = projectFolder.resolve(FILE);
    if (!Files.exists(file)) {
      return List.of();
    }
    try {
      JsonNode root = Json.MAPPER.readTree(file.toFile());
      List<Resource> resources = new ArrayList<>();
      for (JsonNode node : root.path("resources")) {
        resources.add(Json.MAPPER.treeToValue(node, Resource.class));
      }
      return resources;
    } catch (IOException e) {
      throw new ToolFailure("the resource manifest " + FILE + " cannot be read (" + e.getMessage().lines().findFirst().orElse("")
          + "); fix or remove it", e);
    }
  }

  private void write(Path projectFolder, List<Resource> resources) {
    Path file = projectFolder.resolve(FILE);
    try {
      Files.createDirectories(file.getParent());
      ObjectNode root = Json.MAPPER.createObjectNode();
      ArrayNode array = root.putArray("resources");
      resources.forEach(r -> array.add(Json.MAPPER.valueToTree(r)));
      AtomicFile.write(file, (root.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private ReentrantLock lockFor(Path projectFolder) {
    return locks[Math.floorMod(projectFolder.toAbsolutePath().normalize().hashCode(), STRIPES)];
  }
}
