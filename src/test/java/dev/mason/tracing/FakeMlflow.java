package dev.mason.tracing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mason.web.Json;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * An MLflow tracking server as Mason sees it: the experiment REST calls ({@code get-by-name},
 * {@code create}, with the paths, JSON and error codes of MLflow's REST API documentation) and the
 * OTLP/HTTP endpoint ({@code /v1/traces} as an MLflow server has it, {@code /api/2.0/otel/v1/traces}
 * as a Databricks workspace has it), whose protobuf bodies are decoded with the official
 * OpenTelemetry proto classes. Records who created which experiment and every export with its
 * headers. {@link #stop()} and {@link #restart()} take it down and bring it back on the same port.
 */
public final class FakeMlflow implements AutoCloseable {
  /** One OTLP export as received. */
  public record Export(String path, String experimentHeader, String ucTableHeader, String authorization, String contentType,
      ExportTraceServiceRequest request) {
    public List<Span> spans() {
      return request.getResourceSpansList().stream().flatMap(r -> r.getScopeSpansList().stream())
          .flatMap(s -> s.getSpansList().stream()).toList();
    }
  }

  /** An experiment and the bearer token of the request that created it. */
  public record Experiment(String id, String name, String createdWithToken) {}

  private final Map<String, Experiment> experiments = new ConcurrentHashMap<>();
  private final List<Export> exports = new CopyOnWriteArrayList<>();
  private final AtomicInteger ids = new AtomicInteger(100);
  private HttpServer server;
  private int port;

  private FakeMlflow() {}

  private final Map<String, String> users = new java.util.concurrent.ConcurrentHashMap<>();

  public static FakeMlflow start() {
    var fake = new FakeMlflow();
    fake.listen(0);
    return fake;
  }

  public String url() {
    return "http://127.0.0.1:" + port;
  }

  public List<Export> exports() {
    return List.copyOf(exports);
  }

  public List<Span> spans() {
    return exports.stream().flatMap(e -> e.spans().stream()).toList();
  }

  /** The spans of one trace (hex id). */
  public List<Span> trace(String traceId) {
    return spans().stream().filter(s -> hex(s.getTraceId().toByteArray()).equals(traceId)).toList();
  }

  public Experiment experiment(String name) {
    return experiments.get(name);
  }

  public void stop() {
    server.stop(0);
  }

  /** Listens again on the port it had. */
  public void restart() {
    listen(port);
  }

  @Override
  public void close() {
    server.stop(0);
  }

  public static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }

  /** A span's attributes as strings (arrays joined with commas). */
  public static Map<String, String> attributes(Span span) {
    return span.getAttributesList().stream().collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()), (a, b) -> b));
  }

  private static String text(AnyValue value) {
    return switch (value.getValueCase()) {
      case STRING_VALUE -> value.getStringValue();
      case INT_VALUE -> Long.toString(value.getIntValue());
      case BOOL_VALUE -> Boolean.toString(value.getBoolValue());
      case DOUBLE_VALUE -> Double.toString(value.getDoubleValue());
      case ARRAY_VALUE -> value.getArrayValue().getValuesList().stream().map(FakeMlflow::text).collect(Collectors.joining(","));
      default -> value.toString();
    };
  }

  private void listen(int onPort) {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    port = server.getAddress().getPort();
    server.createContext("/api/2.0/mlflow/experiments/get-by-name", this::getByName);
    server.createContext("/api/2.0/mlflow/experiments/create", this::create);
    server.createContext("/v1/traces", this::traces);
    // A workspace says whose a token is: Mason checks a forwarded token on Databricks Apps.
    server.createContext("/api/2.0/preview/scim/v2/Me", this::me);
    // Where a Databricks workspace takes OTLP spans.
    server.createContext("/api/2.0/otel/v1/traces", this::traces);
    server.start();
  }

  /** Makes {@code token} the workspace token of {@code userName}, for SCIM Me. */
  FakeMlflow withUser(String token, String userName) {
    users.put(token, userName);
    return this;
  }

  private void me(HttpExchange exchange) throws IOException {
    String token = bearer(exchange);
    String user = token == null ? null : users.get(token);
    if (user == null) {
      json(exchange, 401, Json.MAPPER.createObjectNode().put("error_code", "UNAUTHENTICATED").put("message", "Invalid access token."));
      return;
    }
    ObjectNode body = Json.MAPPER.createObjectNode().put("userName", user).put("displayName", user).put("active", true);
    body.putArray("emails").addObject().put("value", user).put("primary", true);
    json(exchange, 200, body);
  }

  private void getByName(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    String name = query == null ? "" : URLDecoder.decode(query.replaceFirst("^experiment_name=", ""), StandardCharsets.UTF_8);
    Experiment experiment = experiments.get(name);
    if (experiment == null) {
      json(exchange, 404, Json.MAPPER.createObjectNode().put("error_code", "RESOURCE_DOES_NOT_EXIST")
          .put("message", "Could not find experiment with name '" + name + "'"));
      return;
    }
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.putObject("experiment").put("experiment_id", experiment.id()).put("name", experiment.name())
        .put("artifact_location", "mlflow-artifacts:/" + experiment.id()).put("lifecycle_stage", "active");
    json(exchange, 200, body);
  }

  private void create(HttpExchange exchange) throws IOException {
    JsonNode request = Json.MAPPER.readTree(exchange.getRequestBody().readAllBytes());
    String name = request.path("name").asText();
    if (name.isEmpty()) {
      json(exchange, 400, Json.MAPPER.createObjectNode().put("error_code", "INVALID_PARAMETER_VALUE")
          .put("message", "Missing value for required parameter 'name'"));
      return;
    }
    if (experiments.containsKey(name)) {
      json(exchange, 400, Json.MAPPER.createObjectNode().put("error_code", "RESOURCE_ALREADY_EXISTS")
          .put("message", "Experiment '" + name + "' already exists."));
      return;
    }
    var experiment = new Experiment(Integer.toString(ids.incrementAndGet()), name, bearer(exchange));
    experiments.put(name, experiment);
    json(exchange, 200, Json.MAPPER.createObjectNode().put("experiment_id", experiment.id()));
  }

  private void traces(HttpExchange exchange) throws IOException {
    ExportTraceServiceRequest request;
    try {
      request = ExportTraceServiceRequest.parseFrom(exchange.getRequestBody().readAllBytes());
    } catch (IOException | RuntimeException e) {
      byte[] reason = ("not an OTLP ExportTraceServiceRequest: " + e).getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(400, reason.length);
      exchange.getResponseBody().write(reason);
      exchange.close();
      return;
    }
    var headers = exchange.getRequestHeaders();
    exports.add(new Export(exchange.getRequestURI().getPath(), headers.getFirst("x-mlflow-experiment-id"),
        headers.getFirst("X-Databricks-UC-Table-Name"), headers.getFirst("Authorization"), headers.getFirst("Content-Type"), request));
    byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
    exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private static String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    return header != null && header.startsWith("Bearer ") ? header.substring(7) : null;
  }

  private static void json(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }
}
