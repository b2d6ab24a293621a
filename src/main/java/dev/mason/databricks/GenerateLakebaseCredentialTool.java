package dev.mason.databricks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.common.AtomicFile;
import dev.mason.web.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * generate_lakebase_credential: a short-lived PostgreSQL password (an OAuth token, about an hour)
 * for the caller on a Lakebase database. The token is a secret, so it never goes into the answer,
 * the conversation or the event log: it is written to a PostgreSQL password file in the
 * project's {@code .mason} folder (owner-only), which psql and the PostgreSQL drivers read
 * through {@code PGPASSFILE}. The answer has everything else needed to connect.
 */
final class GenerateLakebaseCredentialTool extends DatabricksTool {
  static final String PGPASS = ".mason/lakebase.pgpass";

  GenerateLakebaseCredentialTool(ToolRuntime runtime) {
    super(runtime, "generate_lakebase_credential",
        "Gets a PostgreSQL credential for the user on a Lakebase database: instance_name for a provisioned instance, or "
            + "project (and optionally branch, default main) for an autoscaling one. The password (valid about an hour) is "
            + "not shown: it is written to the project's " + PGPASS + " file, which psql and PostgreSQL drivers read, e.g. "
            + "PGPASSFILE=" + PGPASS + " psql \"host=<host> port=5432 dbname=databricks_postgres user=<user> sslmode=require\". "
            + "The answer gives host, port, database, user and expiry. Call again when it expires.",
        InputSchema.object()
            .string("instance_name", "A provisioned Lakebase instance.")
            .string("project", "Or an autoscaling project (without projects/).")
            .string("branch", "With project: the branch (default main).")
            .string("database_name", "The PostgreSQL database (default databricks_postgres)."));
  }

  @Override
  String run(ToolCall call) {
    Args args = call.args();
    String host;
    JsonNode credential;
    if (args.has("instance_name")) {
      String instance = args.string("instance_name");
      host = call.api().get(ManageLakebaseDatabaseTool.INSTANCES + "/" + WorkspaceApi.encodePath(instance)).path("read_write_dns").asText();
      ObjectNode body = Json.MAPPER.createObjectNode().put("request_id", UUID.randomUUID().toString());
      body.putArray("instance_names").add(instance);
      credential = call.api().post("/api/2.0/database/credentials", body);
    } else if (args.has("project")) {
      String branch = "projects/" + args.string("project").replaceFirst("^projects/", "") + "/branches/" + args.optString("branch", "main");
      JsonNode endpoint = call.api().collect("/api/2.0/postgres/" + branch + "/endpoints", Map.of(), "endpoints", 100).stream()
          .filter(e -> !"ENDPOINT_TYPE_READ_ONLY".equals(e.path("status").path("endpoint_type").asText()))
          .findFirst().orElseThrow(() -> new ToolFailure(branch + " has no read-write endpoint to connect to"));
      host = endpoint.path("status").path("hosts").path("host").asText();
      credential = call.api().post("/api/2.0/postgres/credentials",
          Json.MAPPER.createObjectNode().put("endpoint", endpoint.path("name").asText()));
    } else {
      throw new ToolFailure("instance_name (a provisioned instance) or project (an autoscaling one) is required");
    }
    String user = CurrentUser.name(call);
    String database = args.optString("database_name", "databricks_postgres");
    writePasswordFile(call.context().projectFolder(), host, database, user, credential.path("token").asText());
    String expires = credential.path("expiration_time").asText(credential.path("expire_time").asText(null));
    return Json.MAPPER.createObjectNode().put("host", host).put("port", 5432).put("database", database).put("user", user)
        .put("sslmode", "require").put("password_file", PGPASS).put("expires", expires)
        .put("connect", "PGPASSFILE=" + PGPASS + " psql \"host=" + host + " port=5432 dbname=" + database + " user=" + user + " sslmode=require\"")
        .toString();
  }

  /** Replaces the project's password file with one line for this database; readable by its owner only. */
  private static void writePasswordFile(Path projectFolder, String host, String database, String user, String token) {
    Path file = projectFolder.resolve(PGPASS);
    try {
      Files.createDirectories(file.getParent());
      // Owner-only: libpq ignores a group- or world-readable password file.
      AtomicFile.writePrivate(file, escape(host) + ":5432:" + escape(database) + ":" + escape(user) + ":" + escape(token) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A field of a PostgreSQL password file: colons and backslashes escaped. */
  private static String escape(String field) {
    return field.replace("\\", "\\\\").replace(":", "\\:");
  }
}
