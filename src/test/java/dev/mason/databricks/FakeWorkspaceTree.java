package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workspace file tree (Workspace API 2.0): import, export, mkdirs, list, get-status, delete.
 * {@code /Workspace/Users/x} and {@code /Users/x} are the same folder, as on a real workspace. As
 * there, an import needs its parent folder to exist, and format AUTO turns a {@code .py} file that
 * starts with {@code # Databricks notebook source} into a notebook without the extension.
 */
final class FakeWorkspaceTree {
  private static final String API = "/api/2.0/workspace";
  private static final String NOTEBOOK_HEADER = "# Databricks notebook source";

  /** A folder, notebook or file. {@code content} is null for folders. */
  record Node(String type, String language, byte[] content, long id) {}

  private final FakeWorkspace fake;
  private final Map<String, Node> nodes = new ConcurrentSkipListMap<>();
  private final AtomicLong ids = new AtomicLong(1000);

  FakeWorkspaceTree(FakeWorkspace fake) {
    this.fake = fake;
    for (String folder : new String[] {"/", "/Users", "/Shared", "/Repos"}) {
      nodes.put(folder, new Node("DIRECTORY", null, null, ids.incrementAndGet()));
    }
  }

  /** The node at {@code path} (either spelling), or null. */
  Node node(String path) {
    return nodes.get(normalize(path));
  }

  /** The text of a notebook or file. */
  String text(String path) {
    Node node = node(path);
    return node == null || node.content() == null ? null : new String(node.content(), StandardCharsets.UTF_8);
  }

  /** A workspace file (not a notebook) and its folders. */
  void putFile(String path, String content) {
    mkdirs(parent(normalize(path)));
    nodes.put(normalize(path), new Node("FILE", null, content.getBytes(StandardCharsets.UTF_8), ids.incrementAndGet()));
  }

  void mkdirs(String path) {
    String p = normalize(path);
    while (!p.equals("/") && !nodes.containsKey(p)) {
      nodes.put(p, new Node("DIRECTORY", null, null, ids.incrementAndGet()));
      p = parent(p);
    }
  }

  void addTo(RoutesConfig routes) {
    routes.post(API + "/import", this::importObject);
    routes.post(API + "/mkdirs", ctx -> {
      mkdirs(FakeWorkspace.body(ctx).path("path").asText());
      ctx.json(FakeWorkspace.object());
    });
    routes.post(API + "/delete", this::delete);
    routes.get(API + "/list", this::list);
    routes.get(API + "/get-status", ctx -> ctx.json(describe(required(ctx.queryParam("path")))));
    routes.get(API + "/export", ctx -> {
      String path = required(ctx.queryParam("path"));
      ctx.json(FakeWorkspace.object().put("content", Base64.getEncoder().encodeToString(existing(path).content())));
    });
  }

  private void importObject(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    String path = normalize(body.path("path").asText());
    byte[] content = Base64.getDecoder().decode(body.path("content").asText(""));
    String format = body.path("format").asText("SOURCE");
    String language = body.path("language").asText(null);
    boolean notebook = format.equals("SOURCE") || format.equals("JUPYTER")
        || (format.equals("AUTO") && new String(content, StandardCharsets.UTF_8).startsWith(NOTEBOOK_HEADER));
    if (format.equals("AUTO") && notebook && path.endsWith(".py")) {
      path = path.substring(0, path.length() - 3);
      language = "PYTHON";
    }
    if (!nodes.containsKey(parent(path)) || !nodes.get(parent(path)).type().equals("DIRECTORY")) {
      throw new FakeError(404, "RESOURCE_DOES_NOT_EXIST", "The parent folder (" + parent(path) + ") does not exist.");
    }
    if (nodes.containsKey(path) && !body.path("overwrite").asBoolean(false)) {
      throw new FakeError(400, "RESOURCE_ALREADY_EXISTS", path + " already exists.");
    }
    nodes.put(path, new Node(notebook ? "NOTEBOOK" : "FILE", notebook ? language : null, content, ids.incrementAndGet()));
    ctx.json(FakeWorkspace.object());
  }

  private void delete(Context ctx) {
    ObjectNode body = FakeWorkspace.body(ctx);
    String path = normalize(body.path("path").asText());
    existing(path);
    boolean hasChildren = nodes.keySet().stream().anyMatch(p -> p.startsWith(path + "/"));
    if (hasChildren && !body.path("recursive").asBoolean(false)) {
      throw new FakeError(400, "DIRECTORY_NOT_EMPTY", "Folder " + path + " is not empty.");
    }
    nodes.keySet().removeIf(p -> p.equals(path) || p.startsWith(path + "/"));
    ctx.json(FakeWorkspace.object());
  }

  private void list(Context ctx) {
    String path = normalize(required(ctx.queryParam("path")));
    if (!existing(path).type().equals("DIRECTORY")) {
      throw FakeError.invalid(path + " is not a directory.");
    }
    ObjectNode body = FakeWorkspace.object();
    ArrayNode objects = body.putArray("objects");
    String prefix = path.equals("/") ? "/" : path + "/";
    nodes.keySet().stream()
        .filter(p -> p.startsWith(prefix) && p.length() > prefix.length() && p.indexOf('/', prefix.length()) < 0)
        .forEach(p -> objects.add(describe(p)));
    ctx.json(body);
  }

  private ObjectNode describe(String path) {
    String p = normalize(path);
    Node node = existing(p);
    ObjectNode out = FakeWorkspace.object().put("path", p).put("object_type", node.type()).put("object_id", node.id());
    if (node.language() != null) {
      out.put("language", node.language());
    }
    if (node.content() != null) {
      out.put("size", node.content().length);
    }
    return out;
  }

  private Node existing(String path) {
    Node node = nodes.get(normalize(path));
    if (node == null) {
      throw new FakeError(404, "RESOURCE_DOES_NOT_EXIST", "Path (" + path + ") doesn't exist.");
    }
    return node;
  }

  private static String required(String path) {
    if (path == null || path.isBlank()) {
      throw FakeError.invalid("path is required");
    }
    return path;
  }

  static String normalize(String path) {
    String p = path.startsWith("/Workspace/") ? path.substring("/Workspace".length()) : path.equals("/Workspace") ? "/" : path;
    return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }

  private static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }
}
