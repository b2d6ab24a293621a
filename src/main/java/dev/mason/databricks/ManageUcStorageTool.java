package dev.mason.databricks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mason.agent.tool.InputSchema;
import dev.mason.agent.tool.ToolFailure;
import dev.mason.web.Json;
import java.util.List;

/**
 * manage_uc_storage: Unity Catalog storage credentials (the cloud identity Unity Catalog reads
 * storage with) and external locations (a storage path paired with a credential).
 */
final class ManageUcStorageTool extends ActionTool {
  private static final List<String> ACTIONS = List.of("list", "get", "create", "update", "delete");
  private static final List<String> TYPES = List.of("storage_credential", "external_location");
  private static final String UC = "/api/2.1/unity-catalog";
  private static final RestCollection CREDENTIALS = new RestCollection(UC + "/storage-credentials", "storage_credentials", "storage_credential");
  private static final RestCollection LOCATIONS = new RestCollection(UC + "/external-locations", "external_locations", "external_location");

  ManageUcStorageTool(ToolRuntime runtime) {
    super(runtime, ACTIONS, "manage_uc_storage",
        "Unity Catalog storage credentials and external locations, as the user (creating them needs the metastore's "
            + "CREATE STORAGE CREDENTIAL or CREATE EXTERNAL LOCATION privilege). list, get: by name. create: a storage "
            + "credential from one cloud identity (aws_iam_role_arn, azure_access_connector_id, or gcp_service_account "
            + "true for a Databricks-managed one), or an external location from url and credential_name; created ones are "
            + "recorded in the project's resources. update: comment, owner, read_only, url, credential_name or new_name. "
            + "delete: DESTROYS it (force also when tables or volumes still use it).",
        InputSchema.object()
            .action("list, get, create, update or delete.", ACTIONS)
            .choice("resource_type", "storage_credential or external_location.", TYPES)
            .string("name", "The credential or location (all actions but list).")
            .string("aws_iam_role_arn", "For create of a storage credential on AWS: the IAM role ARN.")
            .string("azure_access_connector_id", "For create of a storage credential on Azure: the access connector's resource id.")
            .bool("gcp_service_account", "For create of a storage credential on GCP: true for a Databricks-managed service account.")
            .string("url", "For external locations: the storage path, e.g. s3://bucket/path or abfss://container@account.dfs.core.windows.net/path.")
            .string("credential_name", "For external locations: the storage credential to use.")
            .bool("read_only", "Read-only use (default false).")
            .string("comment", "For create and update.")
            .string("owner", "For update: the new owner.")
            .string("new_name", "For update: rename.")
            .bool("skip_validation", "For create: do not check the access now (default false).")
            .bool("force", "For delete: also when something still depends on it (default false).")
            .required("resource_type"));
  }

  @Override
  String run(ToolCall call, Args args, String action) {
    boolean credential = args.choice("resource_type", TYPES, null).equals("storage_credential");
    RestCollection collection = credential ? CREDENTIALS : LOCATIONS;
    return switch (action) {
      case "list" -> collection.list(call, ToolCall.query("max_results", 100), 1000,
          "name", "owner", "url", "credential_name", "read_only", "comment", "aws_iam_role", "azure_managed_identity").toString();
      case "get" -> collection.get(call, args.string("name", action)).toString();
      case "create" -> create(call, args, credential, collection);
      case "update" -> collection.update(call, args.string("name", action),
          args.copyInto(Json.MAPPER.createObjectNode(), "comment", "owner", "read_only", "url", "credential_name", "new_name")).toString();
      default -> collection.delete(call, args.string("name", action), ToolCall.query("force", args.optBool("force", false) ? "true" : null))
          .toString();
    };
  }

  private static String create(ToolCall call, Args args, boolean credential, RestCollection collection) {
    String name = args.string("name", "create");
    ObjectNode body = args.copyInto(Json.MAPPER.createObjectNode().put("name", name), "comment", "read_only", "skip_validation");
    if (credential) {
      if (args.has("aws_iam_role_arn")) {
        body.putObject("aws_iam_role").put("role_arn", args.string("aws_iam_role_arn"));
      } else if (args.has("azure_access_connector_id")) {
        body.putObject("azure_managed_identity").put("access_connector_id", args.string("azure_access_connector_id"));
      } else if (args.optBool("gcp_service_account", false)) {
        body.putObject("databricks_gcp_service_account");
      } else {
        throw new ToolFailure("create of a storage credential needs aws_iam_role_arn, azure_access_connector_id or gcp_service_account=true");
      }
    } else {
      body.put("url", args.string("url", "create of an external location"))
          .put("credential_name", args.string("credential_name", "create of an external location"));
    }
    var created = collection.create(call, name, body, call.link("/explore/" + (credential ? "storage-credentials/" : "external-locations/") + name));
    ObjectNode out = Json.MAPPER.createObjectNode().put("created", name).put("resource_type", credential ? "storage_credential" : "external_location")
        .put("owner", created.path("owner").asText(null));
    if (!credential) {
      out.put("url", created.path("url").asText(null));
    }
    return out.toString();
  }
}
