package dev.mason.terminal;

import dev.mason.common.Causes;
import dev.mason.web.ApiError;
import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import jakarta.servlet.MultipartConfigElement;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * {@code POST /api/upload}: one file in the multipart field {@code file}, up to 32 MB, answered
 * with {@code {"path": …}}; larger gets 413. The server's general 1 MiB request limit does not
 * apply: this route sets its own multipart limits on the request before reading it.
 */
final class UploadEndpoint {
  /** Jetty reads a request's multipart limits from this attribute (Javalin sets it only when absent). */
  private static final String MULTIPART_CONFIG = "org.eclipse.jetty.multipartConfig";
  private static final long MULTIPART_OVERHEAD = 64 * 1024;
  private static final int IN_MEMORY_BYTES = 1024 * 1024;

  private final UploadStore store;

  UploadEndpoint(UploadStore store) {
    this.store = store;
  }

  void handle(Context ctx) throws IOException {
    if (ctx.req().getContentLengthLong() > UploadStore.MAX_BYTES + MULTIPART_OVERHEAD) {
      throw UploadStore.tooLarge();
    }
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      throw ApiError.badRequest("file", "send the file as multipart/form-data in a field named 'file'");
    }
    ctx.req().setAttribute(MULTIPART_CONFIG, new MultipartConfigElement(System.getProperty("java.io.tmpdir"),
        UploadStore.MAX_BYTES, UploadStore.MAX_BYTES + MULTIPART_OVERHEAD, IN_MEMORY_BYTES));
    UploadedFile file;
    try {
      file = ctx.uploadedFile("file");
    } catch (Exception e) { // Javalin rethrows the servlet container's checked ServletException unchanged
      throw isTooLarge(e) ? UploadStore.tooLarge() : ApiError.badRequest("file", "the multipart body cannot be read: " + Causes.rootMessage(e));
    }
    if (file == null) {
      throw ApiError.badRequest("file", "No file provided");
    }
    if (file.filename() == null || file.filename().isBlank()) {
      throw ApiError.badRequest("file", "Empty filename");
    }
    Path saved;
    try (InputStream content = file.content()) {
      saved = store.save(file.filename(), content);
    }
    ctx.json(Map.of("path", saved.toString()));
  }

  private static boolean isTooLarge(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
      if (message.contains("exceeds") || message.contains("too large") || message.contains("max file size")
          || message.contains("max request size") || message.contains("413")) {
        return true;
      }
    }
    return false;
  }

}
