package dev.mason.tracing;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An MLflow that receives traces: where its experiment REST API and its OTLP endpoint are, how a
 * request authenticates, and where the UI shows a trace. Two kinds, one interface, so the
 * exporter and the experiment calls never ask which one they talk to.
 */
sealed interface TrackingServer {
  /** The header MLflow's OTLP endpoint reads to file the spans under an experiment. */
  String EXPERIMENT_HEADER = "x-mlflow-experiment-id";

  /** Base of the REST API and the UI, without a trailing slash. */
  String baseUrl();

  /** Where spans are posted as OTLP/HTTP protobuf. */
  String otlpEndpoint();

  /** The token requests go out with: the user's own when given, else this server's fallback; null for none. */
  String token(String userToken);

  /** Headers of an export to {@code experimentId}, authenticated with {@code token} (may be null). */
  Map<String, String> exportHeaders(String experimentId, String token);

  /** The MLflow UI page of a trace. */
  String traceUrl(String experimentId, String traceId);

  /** Which server, for the status endpoint; never holds a credential. */
  String describe();

  static TrackingServer of(TracingSettings settings, String workspaceHost, String workspaceToken) {
    if (TracingSettings.DATABRICKS.equals(settings.trackingUri())) {
      return new Workspace(workspaceHost, workspaceToken, settings.ucTable());
    }
    return new MlflowServer(settings.trackingUri(), settings.trackingToken());
  }

  private static Map<String, String> headers(String experimentId, String token) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put(EXPERIMENT_HEADER, experimentId);
    if (token != null) {
      headers.put("Authorization", "Bearer " + token);
    }
    return headers;
  }

  /**
   * An MLflow server (3.6 or later, with a SQL backend store): OTLP at {@code /v1/traces}.
   *
   * @param trackingToken {@code MLFLOW_TRACKING_TOKEN}, sent instead of the user's token when set
   */
  record MlflowServer(String baseUrl, String trackingToken) implements TrackingServer {
    @Override
    public String otlpEndpoint() {
      return baseUrl + "/v1/traces";
    }

    @Override
    public String token(String userToken) {
      return trackingToken != null ? trackingToken : userToken;
    }

    @Override
    public Map<String, String> exportHeaders(String experimentId, String token) {
      return headers(experimentId, token);
    }

    @Override
    public String traceUrl(String experimentId, String traceId) {
      return baseUrl + "/#/experiments/" + experimentId + "/traces?selectedEvaluationId="
          + URLEncoder.encode(traceId, StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
      return "the MLflow server at " + baseUrl;
    }

    @Override
    public String toString() {
      return "MlflowServer[" + baseUrl + ", token " + (trackingToken == null ? "the user's" : "****") + "]";
    }
  }

  /**
   * The workspace's MLflow ({@code MLFLOW_TRACKING_URI=databricks}). Its OTLP endpoint is
   * {@code <host>/api/2.0/otel/v1/traces}; when the experiments are bound to a Unity Catalog spans
   * table, the {@code X-Databricks-UC-Table-Name} header names it.
   *
   * @param host the workspace URL
   * @param masonToken Mason's own DATABRICKS_TOKEN, for runs of a caller without a token of their own; may be null
   * @param ucTable the spans table, or null
   */
  record Workspace(String host, String masonToken, String ucTable) implements TrackingServer {
    @Override
    public String baseUrl() {
      return host;
    }

    @Override
    public String otlpEndpoint() {
      return host + "/api/2.0/otel/v1/traces";
    }

    @Override
    public String token(String userToken) {
      return userToken != null ? userToken : masonToken;
    }

    @Override
    public Map<String, String> exportHeaders(String experimentId, String token) {
      Map<String, String> headers = headers(experimentId, token);
      if (ucTable != null) {
        headers.put("X-Databricks-UC-Table-Name", ucTable);
      }
      return headers;
    }

    @Override
    public String traceUrl(String experimentId, String traceId) {
      return host + "/ml/experiments/" + experimentId + "/traces?selectedEvaluationId="
          + URLEncoder.encode(traceId, StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
      return "the MLflow of the workspace " + host + (ucTable == null ? "" : " (spans table " + ucTable + ")");
    }

    @Override
    public String toString() {
      return "Workspace[" + host + ", ucTable=" + ucTable + "]";
    }
  }
}
