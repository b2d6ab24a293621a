package dev.mason.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Serves the browser app that the build bundles into the classpath folder {@code web/}: its hashed
 * assets with a year-long cache, {@code index.html} with no-cache, and {@code index.html} again for
 * any page address the app routes itself (SPA fallback).
 *
 * <p>Its routes are catch-alls, so it must be the last room registered: Javalin gives a request to
 * the first route that matches, and every other room's routes must win. Paths that belong to the
 * server ({@code /api}, {@code /mcp}, {@code /ws}, {@code /health}) never fall back to the page;
 * there an unknown path answers the usual JSON 404.
 */
public final class UiRoutes implements Routes {
  static final String CACHE_FOREVER = "public, max-age=31536000, immutable";
  static final String CACHE_REVALIDATE = "no-cache";
  /**
   * The page loads only its own files and talks only to its own server. Images are limited to
   * the app's own and data: URLs so a model's markdown cannot send data out through an image URL.
   * Scripts may compile WebAssembly (not eval JavaScript): the terminal's image support decodes
   * sixel graphics with it.
   */
  static final String CONTENT_POLICY = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
      + "img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
      + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  private final WebAssets assets;

  public UiRoutes() {
    this(new WebAssets("web"));
  }

  UiRoutes(WebAssets assets) {
    this.assets = assets;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/", this::page);
    routes.get("/*", this::fileOrPage);
  }

  private void fileOrPage(Context ctx) {
    String path = ctx.path();
    if (belongsToServer(path)) {
      throw noRoute(ctx);
    }
    Optional<WebAssets.Asset> file = assets.find(path);
    if (file.isPresent()) {
      send(ctx, file.get(), path.startsWith("/assets/") ? CACHE_FOREVER : CACHE_REVALIDATE);
    } else if (path.equals("/index.html") || acceptsHtml(ctx)) {
      page(ctx);
    } else {
      throw noRoute(ctx);
    }
  }

  private void page(Context ctx) {
    Optional<WebAssets.Asset> index = assets.find("/index.html");
    if (index.isEmpty()) {
      ctx.status(503).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store")
          .result(NOT_BUILT);
      return;
    }
    ctx.header("Content-Security-Policy", CONTENT_POLICY);
    ctx.header("Referrer-Policy", "same-origin");
    send(ctx, index.get(), CACHE_REVALIDATE);
  }

  private static void send(Context ctx, WebAssets.Asset asset, String cacheControl) {
    ctx.header("Cache-Control", cacheControl);
    ctx.header("ETag", asset.etag());
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  static boolean belongsToServer(String path) {
    return path.equals("/api") || path.startsWith("/api/")
        || path.startsWith("/mcp")
        || path.equals("/ws") || path.startsWith("/ws/")
        || path.equals("/health") || path.startsWith("/health/");
  }

  private static boolean acceptsHtml(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.contains("text/html");
  }

  private static ApiError noRoute(Context ctx) {
    return new ApiError(404, "no route for " + ctx.method() + " " + ctx.path(), null);
  }

  private static final byte[] NOT_BUILT = """
      <!doctype html><meta charset="utf-8"><title>Mason</title>
      <body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto">
      <h1>Mason is running, but this build has no browser app</h1>
      <p>It was built with <code>-Dskip.web=true</code>. Build it with <code>./mason build</code>
      (which needs Node.js 20.19+ and npm), or use the HTTP API under <code>/api</code>.</p>
      """.getBytes(StandardCharsets.UTF_8);
}
