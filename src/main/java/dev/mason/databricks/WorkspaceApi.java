package dev.mason.databricks;

import com.databricks.sdk.core.ApiClient;
import com.databricks.sdk.core.DatabricksError;
import com.databricks.sdk.core.DatabricksException;
import com.databricks.sdk.core.http.Request;
import com.databricks.sdk.service.files.GetMetadataResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.mason.common.AtomicFile;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Databricks REST API as one identity sees it: JSON in, JSON out, through the SDK's
 * {@link ApiClient} (which brings the credential chain, retries of 429 and 503 honouring
 * {@code Retry-After}, and error parsing).
 *
 * <p>Tools speak the REST shapes directly rather than the SDK's typed services: the model reads
 * and writes those shapes (a job's tasks, a pipeline's libraries), the SDK's 0.x churn stays out
 * of the tools, and a fake workspace only has to speak the wire format.
 *
 * <p>Thread-safe: the underlying client is. One instance belongs to one credential; it is never
 * handed to another user's call.
 */
final class WorkspaceApi {
  private final ApiClient client;
  private final String host;

  WorkspaceApi(ApiClient client, String host) {
    this.client = client;
    this.host = host;
  }

  /** The workspace URL, for links shown to users. */
  String host() {
    return host;
  }

  JsonNode get(String path, Map<String, ?> query) {
    return send(withQuery(new Request(Request.GET, path), query));
  }

  JsonNode get(String path) {
    return get(path, Map.of());
  }

  JsonNode post(String path, JsonNode body) {
    return send(new Request(Request.POST, path, Json.write(body)));
  }

  JsonNode put(String path, JsonNode body) {
    return send(new Request(Request.PUT, path, Json.write(body)));
  }

  JsonNode patch(String path, JsonNode body) {
    return send(new Request(Request.PATCH, path, Json.write(body)));
  }

  JsonNode delete(String path, Map<String, ?> query) {
    return send(withQuery(new Request(Request.DELETE, path), query));
  }

  /**
   * Every item of a paged list, following {@code next_page_token} until there is none or
   * {@code limit} items were read.
   *
   * @param field the array that holds the items, e.g. {@code "tables"}
   */
  List<JsonNode> collect(String path, Map<String, ?> query, String field, int limit) {
    List<JsonNode> items = new ArrayList<>();
    Map<String, Object> page = new LinkedHashMap<>(query);
    while (true) {
      JsonNode response = get(path, page);
      for (JsonNode item : response.path(field)) {
        if (items.size() >= limit) {
          return items;
        }
        items.add(item);
      }
      String next = response.path("next_page_token").asText("");
      if (next.isEmpty() || items.size() >= limit) {
        return items;
      }
      page.put("page_token", next);
    }
  }

  /** Streams the body of a GET (the Files API) into {@code target}, replacing it whole ({@link AtomicFile}); returns its size. */
  long download(String path, Path target) {
    Request request = new Request(Request.GET, path).withHeader("Accept", "application/octet-stream");
    try (InputStream body = call(request, InputStream.class)) {
      Files.createDirectories(target.toAbsolutePath().getParent());
      return AtomicFile.write(target, body);
    } catch (IOException e) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "IO_ERROR", "download of " + path + " failed: " + e.getMessage(), e);
    }
  }

  /** The first {@code maxBytes} bytes of a GET (the Files API), asked for with a Range header and cut here too. */
  byte[] head(String path, int maxBytes) {
    Request request = new Request(Request.GET, path).withHeader("Accept", "application/octet-stream")
        .withHeader("Range", "bytes=0-" + (maxBytes - 1));
    try (InputStream body = call(request, InputStream.class)) {
      return body == null ? new byte[0] : body.readNBytes(maxBytes);
    } catch (IOException e) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "IO_ERROR", "read of " + path + " failed: " + e.getMessage(), e);
    }
  }

  /** PUTs raw bytes (the Files API). */
  void upload(String path, Map<String, ?> query, InputStream content) {
    Request request = withQuery(new Request(Request.PUT, path, content), query)
        .withHeader("Content-Type", "application/octet-stream");
    close(call(request, InputStream.class));
  }

  /** HEAD of a path (the Files API): size, type and modification time from the headers. */
  GetMetadataResponse head(String path) {
    return call(new Request(Request.HEAD, path), GetMetadataResponse.class);
  }

  /**
   * A path with each segment percent-encoded, for names that become part of a URL: UC full names,
   * volume and file paths (which may hold spaces or {@code #}).
   */
  static String encodePath(String path) {
    return Arrays.stream(path.split("/", -1))
        .map(WorkspaceApi::encode)
        .collect(Collectors.joining("/"));
  }

  private JsonNode send(Request request) {
    request.withHeader("Accept", "application/json");
    if (request.isBodyString()) {
      request.withHeader("Content-Type", "application/json");
    }
    try (InputStream body = call(request, InputStream.class)) {
      byte[] bytes = body == null ? new byte[0] : body.readAllBytes();
      return bytes.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(bytes);
    } catch (IOException e) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "IO_ERROR",
          request.getMethod() + " " + request.getUrl() + " returned an unreadable body: " + e.getMessage(), e);
    }
  }

  private <T> T call(Request request, Class<T> type) {
    try {
      return client.execute(request, type);
    } catch (DatabricksError e) {
      throw new WorkspaceException(e.getStatusCode(), e.getErrorCode(), e.getMessage(), e);
    } catch (DatabricksException e) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "IO_ERROR",
          request.getMethod() + " " + request.getUrl() + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new WorkspaceException(WorkspaceException.NO_RESPONSE, "IO_ERROR",
          request.getMethod() + " " + request.getUrl() + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Appends the query to the URL itself. The SDK's own query parameters make it rebuild the URL
   * from the decoded path, which breaks percent-encoded paths (a volume file named "a b.csv").
   */
  private static Request withQuery(Request request, Map<String, ?> query) {
    List<String> pairs = new ArrayList<>();
    query.forEach((name, value) -> {
      if (value instanceof Iterable<?> values) {
        values.forEach(v -> pairs.add(encode(name) + "=" + encode(String.valueOf(v))));
      } else if (value != null) {
        pairs.add(encode(name) + "=" + encode(String.valueOf(value)));
      }
    });
    return pairs.isEmpty() ? request : request.withUrl(request.getUrl() + "?" + String.join("&", pairs));
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static void close(InputStream in) {
    if (in == null) {
      return;
    }
    try (in) {
      in.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The call succeeded; an unread or broken empty body changes nothing.
    }
  }
}
