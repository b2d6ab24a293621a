package dev.mason.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mason.agent.message.ContentBlock;
import dev.mason.agent.tool.Cancellation;
import dev.mason.agent.tool.Tool;
import dev.mason.agent.tool.ToolContext;
import dev.mason.agent.tool.ToolDispatcher;
import dev.mason.common.Sha256;
import dev.mason.databricks.DatabricksTools;
import dev.mason.identity.Caller;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tools {@code /mcp} offers: the delegation tools, then the Databricks tools when a workspace
 * is configured — the same {@link Tool} objects, descriptions and complete JSON schemas the agent
 * uses, passed on unchanged.
 *
 * <p>A call runs through a {@link ToolDispatcher}, as the agent's calls do: the input is checked
 * against the schema, the call is bounded in time, and failures become error results. It acts as
 * the caller (their token in the {@link ToolContext}). Calls made over MCP belong to no project:
 * files a tool reads or writes locally, and the manifest of resources it creates, live in a folder
 * of the caller's under {@code MASON_HOME/mcp/users}.
 *
 * <p>Thread-safe and stateless between calls.
 */
final class McpTools {
  private static final Logger log = LoggerFactory.getLogger(McpTools.class);
  /** MCP's wire names are camelCase: not Mason's snake_case API mapper. */
  static final ObjectMapper WIRE = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final DatabricksTools databricks;
  private final DelegationTools delegation;
  private final Path usersDir;

  McpTools(DatabricksTools databricks, DelegationTools delegation, Path usersDir) {
    this.databricks = databricks;
    this.delegation = delegation;
    this.usersDir = usersDir;
  }

  /** Every tool as tools/list shows it. */
  List<McpSchema.Tool> descriptors() {
    List<McpSchema.Tool> descriptors = new ArrayList<>();
    for (Tool tool : offered()) {
      descriptors.add(McpSchema.Tool.builder(tool.name(), WIRE.convertValue(tool.inputSchema(), OBJECT))
          .description(tool.description())
          .annotations(ToolHints.of(tool))
          .build());
    }
    return descriptors;
  }

  /** The SDK's registrations: each descriptor with the handler that runs it for the request's caller. */
  List<McpServerFeatures.SyncToolSpecification> specifications() {
    return descriptors().stream().map(descriptor -> McpServerFeatures.SyncToolSpecification.builder()
        .tool(descriptor)
        .callHandler((exchange, request) -> {
          var context = exchange.transportContext();
          Caller caller = (Caller) context.get(McpAuthFilter.CALLER);
          String baseUrl = (String) context.get(McpAuthFilter.BASE_URL);
          if (caller == null) {
            // The filter in front of the servlet sets it on every request; its absence is a wiring fault.
            return error("the request carried no identity");
          }
          return call(caller, baseUrl, request.name(), request.arguments());
        })
        .build()).toList();
  }

  /** Runs {@code name} for {@code caller}; unknown tools and every failure come back as error results. */
  McpSchema.CallToolResult call(Caller caller, String baseUrl, String name, Map<String, Object> arguments) {
    Optional<Tool> found = find(caller, baseUrl, name);
    if (found.isEmpty()) {
      return error("Unknown tool '" + name + "'.");
    }
    JsonNode input = WIRE.valueToTree(arguments == null ? Map.of() : arguments);
    String callId = "mcp_" + UUID.randomUUID().toString().substring(0, 8);
    var context = new ToolContext(caller, null, folderOf(caller.user()), callId, Cancellation.NEVER, null);
    log.debug("MCP call {} of {} for {}", callId, name, caller.user());
    ContentBlock.ToolResult result = new ToolDispatcher(List.of(found.get()))
        .run(context, List.of(new ContentBlock.ToolUse(callId, name, input))).getFirst();
    return McpSchema.CallToolResult.builder().addTextContent(result.content()).isError(result.isError()).build();
  }

  /** The tools on offer; the delegation tools' links are not needed to describe them. */
  private List<Tool> offered() {
    List<Tool> tools = new ArrayList<>(delegation.forCall(""));
    if (databricks.available()) {
      tools.addAll(databricks.all());
    }
    return tools;
  }

  private Optional<Tool> find(Caller caller, String baseUrl, String name) {
    List<Tool> tools = new ArrayList<>(delegation.forCall(baseUrl));
    tools.addAll(databricks.forCaller(caller));
    return tools.stream().filter(tool -> tool.name().equals(name)).findFirst();
  }

  /** The caller's folder for tool calls made over MCP; the name is a hash, so no user name reaches the disk layout. */
  private Path folderOf(String user) {
    Path folder = usersDir.resolve(hash(user));
    try {
      Files.createDirectories(folder);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + folder, e);
    }
    return folder;
  }

  private static String hash(String user) {
    return Sha256.hex(user).substring(0, 24);
  }

  private static McpSchema.CallToolResult error(String message) {
    return McpSchema.CallToolResult.builder().addTextContent(message).isError(true).build();
  }
}
