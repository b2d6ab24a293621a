package dev.mason.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Reads a server-sent event stream the way a browser does: id, event, data, blank line. */
public final class SseClient {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  private SseClient() {}

  /** One event as received. */
  public record Event(int id, String type, JsonNode data) {}

  /**
   * Opens {@code url} and reads events until {@code stopAfter} accepts one (which is included),
   * the stream ends, or {@code limit} passes; then closes the connection.
   */
  public static List<Event> read(String url, Map<String, String> headers, Predicate<Event> stopAfter, Duration limit) {
    return readInto(new ArrayList<>(), url, headers, stopAfter, limit);
  }

  /**
   * {@link #read}, adding each event to {@code events} as it arrives, so another thread can see
   * how far the stream has got; returns {@code events}.
   */
  public static List<Event> readInto(List<Event> events, String url, Map<String, String> headers, Predicate<Event> stopAfter,
      Duration limit) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(limit).header("Accept", "text/event-stream");
    headers.forEach(request::header);
    try {
      HttpResponse<InputStream> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new AssertionError("SSE " + url + " answered " + response.statusCode() + ": "
            + new String(response.body().readAllBytes(), StandardCharsets.UTF_8));
      }
      InputStream body = response.body();
      // The request timeout covers only the headers; this bounds the whole read.
      Thread watchdog = Thread.ofVirtual().start(() -> {
        try {
          Thread.sleep(limit);
          body.close();
        } catch (InterruptedException | IOException done) {
          // the read ended first
        }
      });
      try (body; BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
        Integer id = null;
        String type = null;
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isEmpty()) {
            if (type != null) {
              Event event = new Event(id == null ? -1 : id, type, Json.MAPPER.readTree(data.toString()));
              events.add(event);
              if (stopAfter.test(event)) {
                return events;
              }
            }
            id = null;
            type = null;
            data.setLength(0);
          } else if (line.startsWith("id: ")) {
            id = Integer.parseInt(line.substring(4));
          } else if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data.append(line.substring(6));
          }
        }
      } finally {
        watchdog.interrupt();
      }
      return events;
    } catch (IOException e) {
      throw new AssertionError("SSE " + url + " failed after " + events.size() + " events", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
