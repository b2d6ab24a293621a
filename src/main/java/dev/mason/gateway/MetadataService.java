package dev.mason.gateway;

import dev.mason.common.Refusal;
import dev.mason.credentials.CredentialService;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The Databricks SDKs' local metadata-service credential protocol, for the CLI and SDKs in Mason's
 * shells ({@code DATABRICKS_AUTH_TYPE=metadata-service}, {@code DATABRICKS_METADATA_SERVICE_URL}).
 * The contract, as the Go and JavaScript SDKs implement it:
 *
 * <ul>
 *   <li>the client sends {@code GET <url>} with {@code X-Databricks-Metadata-Version: 1} and
 *       {@code X-Databricks-Host: <its host>}, and accepts only {@code localhost}/{@code 127.0.0.1} URLs;
 *   <li>a missing or unknown version gets a 4xx; so does a host the token is not for;
 *   <li>the answer is {@code {access_token, token_type: "Bearer", expires_on}}, {@code expires_on}
 *       in epoch seconds; the SDK keeps the token until then and asks again.
 * </ul>
 *
 * The URL carries the session secret in its path, so a URL works only while its session lives.
 * {@code expires_on} is when Mason will replace the token, not its real expiry: the replaced token
 * is revoked soon after, and a client that kept it longer would be refused.
 */
final class MetadataService {
  static final String PATH = "/api/credentials/metadata-service/{secret}";
  static final String VERSION_HEADER = "X-Databricks-Metadata-Version";
  static final String HOST_HEADER = "X-Databricks-Host";

  private final CredentialService credentials;

  MetadataService(CredentialService credentials) {
    this.credentials = credentials;
  }

  void answer(Context ctx) {
    if (!"1".equals(ctx.header(VERSION_HEADER))) {
      throw Refusal.badRequest(VERSION_HEADER, VERSION_HEADER + " must be 1");
    }
    String host = normalized(ctx.header(HOST_HEADER));
    if (host == null || !host.equals(normalized(credentials.host()))) {
      throw Refusal.notFound("a credential for host " + ctx.header(HOST_HEADER));
    }
    CredentialService.AccessToken token = credentials.current()
        .orElseThrow(() -> new Refusal(503, "no workspace credential yet: paste a token in the terminal page", null));
    Instant refreshBy = token.refreshBy() != null ? token.refreshBy() : Instant.now().plusSeconds(60);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.value());
    body.put("token_type", "Bearer");
    body.put("expires_on", refreshBy.getEpochSecond());
    ctx.header("Cache-Control", "no-store");
    ctx.json(body);
  }

  private static String normalized(String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String h = host.trim().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
    return h.contains("://") ? h : "https://" + h;
  }
}
