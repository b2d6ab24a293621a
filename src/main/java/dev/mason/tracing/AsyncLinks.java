package dev.mason.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mason.web.Json;
import io.opentelemetry.api.trace.SpanContext;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ties an asynchronous Databricks operation to the tool call that started it: a job run
 * ({@code run_id}), a SQL statement ({@code statement_id}), a pipeline update ({@code update_id})
 * or a tool call Mason moved to the background ({@code operation_id}). The first tool span whose
 * result names an id it was not given is that operation's start; a later tool span that is given
 * the id (a poll, a wait, a get_output, check_operation_status), in this run or a later run of the
 * same user, gets a span link to it.
 *
 * <p>Remembers the last {@link #REMEMBERED} starts; {@code starts} is guarded by {@code lock}.
 */
final class AsyncLinks {
  static final List<String> KEYS = List.of("run_id", "statement_id", "update_id", "operation_id");
  static final int REMEMBERED = 10_000;

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, SpanContext> starts = new LinkedHashMap<>(16, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, SpanContext> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** The operations a tool call names, as {@code key=value}: those it was given and those its result reports. */
  record Named(Set<String> given, Set<String> reported) {
    Set<String> all() {
      Set<String> all = new LinkedHashSet<>(given);
      all.addAll(reported);
      return all;
    }
  }

  static Named named(JsonNode input, String result) {
    return new Named(ids(input), ids(parse(result)));
  }

  /** The span that started {@code id} for {@code user}, when one is remembered. */
  Optional<SpanContext> startOf(String user, String id) {
    lock.lock();
    try {
      return Optional.ofNullable(starts.get(user + "\n" + id));
    } finally {
      lock.unlock();
    }
  }

  /** {@code span} started the operations its result reports and it was not given, unless one is known already. */
  void started(String user, Named named, SpanContext span) {
    lock.lock();
    try {
      for (String id : named.reported()) {
        if (!named.given().contains(id)) {
          starts.putIfAbsent(user + "\n" + id, span);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private static Set<String> ids(JsonNode node) {
    Set<String> ids = new LinkedHashSet<>();
    if (node == null || !node.isObject()) {
      return ids;
    }
    for (String key : KEYS) {
      JsonNode value = node.path(key);
      if ((value.isTextual() || value.isIntegralNumber()) && !value.asText().isBlank()) {
        ids.add(key + "=" + value.asText().strip());
      }
    }
    return ids;
  }

  private static JsonNode parse(String result) {
    if (result == null || !result.stripLeading().startsWith("{")) {
      return null;
    }
    try {
      return Json.MAPPER.readTree(result);
    } catch (IOException e) {
      return null;
    }
  }
}
