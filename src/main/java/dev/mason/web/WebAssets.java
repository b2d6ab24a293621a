package dev.mason.web;

import dev.mason.common.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The browser app's files, read from a classpath folder on first request and kept in memory (the
 * bundle is small and immutable for the life of the jar).
 *
 * <p>Thread-safe: found files are cached in a concurrent map; misses are not cached, so probing
 * unknown names cannot grow it. Only plain names are looked up: a path with an empty, dot or
 * dot-dot segment, a backslash, a percent escape or a colon is refused before the classpath sees it.
 */
final class WebAssets {
  private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("webmanifest", "application/manifest+json"),
      Map.entry("map", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("woff", "font/woff"),
      Map.entry("txt", "text/plain; charset=utf-8"));

  /** One file: its bytes, MIME type and a strong ETag derived from the content. */
  record Asset(byte[] bytes, String contentType, String etag) {}

  private final String root;
  private final Map<String, Asset> found = new ConcurrentHashMap<>();

  /** @param root the classpath folder, without slashes (e.g. {@code web}) */
  WebAssets(String root) {
    this.root = root;
  }

  /** The file at request path {@code path} (starting with "/"), or empty when there is none. */
  Optional<Asset> find(String path) {
    if (!isPlain(path)) {
      return Optional.empty();
    }
    Asset cached = found.get(path);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Asset> loaded = load(path);
    loaded.ifPresent(asset -> found.put(path, asset));
    return loaded;
  }

  private Optional<Asset> load(String path) {
    try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(root + path)) {
      if (in == null) {
        return Optional.empty();
      }
      byte[] bytes = in.readAllBytes();
      return Optional.of(new Asset(bytes, contentType(path), etag(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the web app's " + path + " from the classpath", e);
    }
  }

  /** A path of named segments whose last one has an extension: never a folder, never an escape. */
  static boolean isPlain(String path) {
    if (!path.startsWith("/") || path.contains("\\") || path.contains("%") || path.contains(":")
        || path.indexOf('\0') >= 0) {
      return false;
    }
    String[] segments = path.substring(1).split("/", -1);
    for (String segment : segments) {
      if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    String last = segments[segments.length - 1];
    return last.lastIndexOf('.') > 0;
  }

  private static String contentType(String path) {
    String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
    return CONTENT_TYPES.getOrDefault(extension, "application/octet-stream");
  }

  private static String etag(byte[] bytes) {
    return "\"" + Sha256.hex(bytes).substring(0, 24) + "\"";
  }
}
