package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.BiConsumer;

/**
 * One REST collection of the workspace as most Databricks APIs shape it: {@code POST path}
 * creates (409 RESOURCE_ALREADY_EXISTS for a key in use), {@code GET path} lists under
 * {@code listField} in pages of {@code page_size}/{@code max_results} with
 * {@code next_page_token}, {@code GET path/{key}} reads (404 RESOURCE_DOES_NOT_EXIST),
 * {@code PATCH path/{key}} merges the fields sent ({@code new_name} renames) and
 * {@code DELETE path/{key}} removes. What the server adds on create (ids, owners, states) comes
 * from {@link #onCreate}.
 *
 * <p>Thread-safe: items live in a concurrent map.
 */
final class FakeCollection {
  private static final int PAGE = 50;

  final String path;
  private final String listField;
  private final String keyField;
  private final String noun;
  private final Map<String, ObjectNode> items = new ConcurrentSkipListMap<>();
  private BiConsumer<Context, ObjectNode> onCreate = (ctx, item) -> { };

  FakeCollection(String path, String listField, String keyField, String noun) {
    this.path = path;
    this.listField = listField;
    this.keyField = keyField;
    this.noun = noun;
  }

  /** What the server fills in on create; runs before the key is read, so it may set the key (a generated id). */
  FakeCollection onCreate(BiConsumer<Context, ObjectNode> fill) {
    this.onCreate = fill;
    return this;
  }

  /** The routes a collection serves; an API that differs in one of them registers its own instead. */
  enum Route { CREATE, LIST, GET, UPDATE, DELETE }

  void addTo(RoutesConfig routes, Route... except) {
    var skipped = java.util.Set.of(except);
    if (!skipped.contains(Route.CREATE)) {
      routes.post(path, ctx -> ctx.json(create(ctx, FakeWorkspace.body(ctx))));
    }
    if (!skipped.contains(Route.LIST)) {
      routes.get(path, this::list);
    }
    if (!skipped.contains(Route.GET)) {
      routes.get(path + "/{key}", ctx -> ctx.json(get(ctx.pathParam("key"))));
    }
    if (!skipped.contains(Route.UPDATE)) {
      routes.patch(path + "/{key}", ctx -> ctx.json(update(ctx.pathParam("key"), FakeWorkspace.body(ctx))));
    }
    if (!skipped.contains(Route.DELETE)) {
      routes.delete(path + "/{key}", ctx -> {
        remove(ctx.pathParam("key"));
        ctx.json(FakeWorkspace.object());
      });
    }
  }

  ObjectNode create(Context ctx, ObjectNode item) {
    onCreate.accept(ctx, item);
    String key = item.path(keyField).asText("");
    if (key.isEmpty()) {
      throw FakeError.invalid(keyField + " is required");
    }
    if (items.putIfAbsent(key, item) != null) {
      throw FakeError.exists(noun + " '" + key + "' already exists.");
    }
    return item;
  }

  ObjectNode get(String key) {
    ObjectNode item = items.get(key);
    if (item == null) {
      throw FakeError.notFound(noun + " '" + key + "' does not exist.");
    }
    return item;
  }

  /** Puts {@code item} in place as if it had been created. */
  void put(String key, ObjectNode item) {
    items.put(key, item);
  }

  boolean has(String key) {
    return items.containsKey(key);
  }

  List<ObjectNode> all() {
    return new ArrayList<>(items.values());
  }

  ObjectNode update(String key, ObjectNode changes) {
    ObjectNode item = get(key);
    JsonNode newName = changes.remove("new_name");
    changes.properties().forEach(e -> item.set(e.getKey(), e.getValue()));
    if (newName != null && !newName.asText().equals(key)) {
      items.remove(key);
      item.put(keyField, newName.asText());
      items.put(newName.asText(), item);
    }
    return item;
  }

  void remove(String key) {
    get(key);
    items.remove(key);
  }

  /** Lists the items {@code visible} keeps, in pages. */
  void list(Context ctx, java.util.function.Predicate<ObjectNode> visible) {
    listPage(ctx, all().stream().filter(visible).toList());
  }

  private void list(Context ctx) {
    listPage(ctx, all());
  }

  private void listPage(Context ctx, List<ObjectNode> all) {
    String size = ctx.queryParam("max_results") != null ? ctx.queryParam("max_results") : ctx.queryParam("page_size");
    int limit = size == null || size.equals("0") ? PAGE : Integer.parseInt(size);
    int from = ctx.queryParam("page_token") == null ? 0 : Integer.parseInt(ctx.queryParam("page_token"));
    ObjectNode body = FakeWorkspace.object();
    ArrayNode list = body.putArray(listField);
    all.subList(Math.min(from, all.size()), Math.min(all.size(), from + limit)).forEach(list::add);
    if (from + limit < all.size()) {
      body.put("next_page_token", Integer.toString(from + limit));
    }
    ctx.json(body);
  }
}
