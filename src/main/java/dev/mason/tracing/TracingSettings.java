package dev.mason.tracing;

import dev.mason.env.ConfigException;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * Where agent runs are traced, read by the settings loader and validated once.
 *
 * @param enabled false when {@code MLFLOW_TRACING_ENABLED=false}; tracing also needs a tracking URI
 * @param trackingUri {@code MLFLOW_TRACKING_URI}: {@code databricks} (the workspace's MLflow), an
 *     http(s) URL of an MLflow server without a trailing slash, or null (no tracing)
 * @param experimentName {@code MLFLOW_EXPERIMENT_NAME}, or null for {@code /Users/<user>/<appName>}
 * @param appName {@code DATABRICKS_APP_NAME}, or {@code mason}
 * @param trackingToken {@code MLFLOW_TRACKING_TOKEN}: the token an MLflow server wants, or null to
 *     send the user's own token. Never logged.
 * @param ucTable {@code MLFLOW_TRACING_UC_TABLE}: for {@code databricks}, the Unity Catalog spans
 *     table ({@code catalog.schema.prefix_otel_spans}) bound to the experiments, or null
 * @param queueSize {@code MASON_TRACE_QUEUE_SIZE}: spans waiting for export at most; more are dropped and counted
 * @param turnGapSeconds {@code MASON_TRACE_TURN_GAP}: a terminal CLI's turn that has seen no model
 *     call for this long is ended, and the next call starts a new trace
 */
public record TracingSettings(boolean enabled, String trackingUri, String experimentName, String appName,
    String trackingToken, String ucTable, int queueSize, int turnGapSeconds) {
  public static final String DATABRICKS = "databricks";
  public static final int DEFAULT_QUEUE_SIZE = 4096;
  public static final int DEFAULT_TURN_GAP_SECONDS = 5 * 60;

  public TracingSettings {
    if (trackingUri != null) {
      trackingUri = trackingUri.strip().replaceAll("/+$", "");
      if (trackingUri.isEmpty()) {
        trackingUri = null;
      } else if (!trackingUri.equals(DATABRICKS)) {
        requireHttpUrl(trackingUri);
      }
    }
    if (experimentName != null && experimentName.isBlank()) {
      experimentName = null;
    }
    if (appName == null || appName.isBlank()) {
      appName = "mason";
    }
    if (ucTable != null && !ucTable.isBlank() && !ucTable.strip().matches("[^.\\s]+\\.[^.\\s]+\\.[^.\\s]+")) {
      throw new ConfigException("MLFLOW_TRACING_UC_TABLE", "must name a table as catalog.schema.table, was '" + ucTable + "'");
    }
    ucTable = ucTable == null || ucTable.isBlank() ? null : ucTable.strip();
    if (queueSize < 16 || queueSize > 1_000_000) {
      throw new ConfigException("MASON_TRACE_QUEUE_SIZE", "must be between 16 and 1000000 spans, was " + queueSize);
    }
    if (turnGapSeconds < 1 || turnGapSeconds > 24 * 60 * 60) {
      throw new ConfigException("MASON_TRACE_TURN_GAP", "must be between 1 and 86400 seconds, was " + turnGapSeconds);
    }
  }

  /** Whether runs are traced at all. */
  public boolean active() {
    return enabled && trackingUri != null;
  }

  /** Why runs are not traced, for the status endpoint; null when they are. */
  String offReason() {
    if (!enabled) {
      return "tracing is turned off (MLFLOW_TRACING_ENABLED=false)";
    }
    return trackingUri == null ? "tracing is off: MLFLOW_TRACKING_URI is not set (databricks or an MLflow server's URL)" : null;
  }

  /** The experiment of {@code user}'s runs when a run names none. */
  String experimentFor(String user) {
    return experimentName != null ? experimentName : "/Users/" + user + "/" + appName;
  }

  private static void requireHttpUrl(String url) {
    try {
      URI uri = new URI(url);
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new ConfigException("MLFLOW_TRACKING_URI", "must be databricks or an http:// or https:// URL, was '" + url + "'");
      }
    } catch (URISyntaxException e) {
      throw new ConfigException("MLFLOW_TRACKING_URI", "is not a URL: '" + url + "'");
    }
  }

  @Override
  public String toString() {
    return "TracingSettings[enabled=" + enabled + ", trackingUri=" + trackingUri + ", experimentName=" + experimentName
        + ", appName=" + appName + ", trackingToken=" + (trackingToken == null ? "none" : "****") + ", ucTable=" + ucTable
        + ", queueSize=" + queueSize + ", turnGapSeconds=" + turnGapSeconds + "]";
  }
}
