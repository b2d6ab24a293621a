package dev.mason.tracing;

import static io.opentelemetry.api.common.AttributeKey.booleanKey;
import static io.opentelemetry.api.common.AttributeKey.longKey;
import static io.opentelemetry.api.common.AttributeKey.stringArrayKey;
import static io.opentelemetry.api.common.AttributeKey.stringKey;

import io.opentelemetry.api.common.AttributeKey;
import java.util.List;

/**
 * The attributes of Mason's spans. The {@code gen_ai.*} keys are the OpenTelemetry GenAI semantic
 * conventions, which MLflow's OTLP ingestion translates (its {@code GenAiTranslator}): the
 * operation name gives the span type ({@code invoke_agent} → AGENT, {@code chat} → chat model,
 * {@code execute_tool} → TOOL), the messages and tool arguments and results its inputs and
 * outputs, the usage keys its token counts. The {@code mlflow.*} keys are MLflow's own span
 * attributes, set too so that an MLflow without that translation shows the same.
 */
final class SpanKeys {
  private SpanKeys() {}

  static final AttributeKey<String> OPERATION = stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL = stringKey("gen_ai.response.model");
  static final AttributeKey<List<String>> FINISH_REASONS = stringArrayKey("gen_ai.response.finish_reasons");
  static final AttributeKey<Long> INPUT_TOKENS = longKey("gen_ai.usage.input_tokens");
  static final AttributeKey<Long> OUTPUT_TOKENS = longKey("gen_ai.usage.output_tokens");
  static final AttributeKey<Long> CACHE_READ_TOKENS = longKey("gen_ai.usage.cache_read.input_tokens");
  static final AttributeKey<Long> CACHE_CREATION_TOKENS = longKey("gen_ai.usage.cache_creation.input_tokens");
  static final AttributeKey<String> INPUT_MESSAGES = stringKey("gen_ai.input.messages");
  static final AttributeKey<String> OUTPUT_MESSAGES = stringKey("gen_ai.output.messages");
  static final AttributeKey<String> CONVERSATION = stringKey("gen_ai.conversation.id");
  static final AttributeKey<String> AGENT_NAME = stringKey("gen_ai.agent.name");
  static final AttributeKey<String> TOOL_NAME = stringKey("gen_ai.tool.name");
  static final AttributeKey<String> TOOL_CALL_ID = stringKey("gen_ai.tool.call.id");
  static final AttributeKey<String> TOOL_ARGUMENTS = stringKey("gen_ai.tool.call.arguments");
  static final AttributeKey<String> TOOL_RESULT = stringKey("gen_ai.tool.call.result");
  static final AttributeKey<String> ERROR_TYPE = stringKey("error.type");

  static final AttributeKey<String> MLFLOW_SPAN_TYPE = stringKey("mlflow.spanType");
  static final AttributeKey<String> MLFLOW_INPUTS = stringKey("mlflow.spanInputs");
  static final AttributeKey<String> MLFLOW_OUTPUTS = stringKey("mlflow.spanOutputs");
  /** MLflow's trace metadata for the user and the session (the conversation), read from the root span. */
  static final AttributeKey<String> MLFLOW_USER = stringKey("mlflow.trace.user");
  static final AttributeKey<String> MLFLOW_SESSION = stringKey("mlflow.trace.session");

  static final AttributeKey<String> USER = stringKey("mason.user");
  static final AttributeKey<String> PROJECT_ID = stringKey("mason.project.id");
  static final AttributeKey<String> PROJECT_NAME = stringKey("mason.project.name");
  static final AttributeKey<String> CONVERSATION_ID = stringKey("mason.conversation.id");
  static final AttributeKey<String> EXECUTION_ID = stringKey("mason.execution.id");
  static final AttributeKey<String> RUNTIME = stringKey("mason.runtime");
  static final AttributeKey<String> SOURCE = stringKey("mason.source");
  static final AttributeKey<String> VERSION = stringKey("mason.version");
  static final AttributeKey<String> STATUS = stringKey("mason.status");
  static final AttributeKey<Long> TURN = longKey("mason.turn");
  static final AttributeKey<Boolean> TOOL_IS_ERROR = booleanKey("mason.tool.is_error");
  static final AttributeKey<String> SESSION_ID = stringKey("mason.session.id");
  /** The asynchronous Databricks operations a tool call started or asked about ({@code run_id=…}), and on a link the one it ties. */
  static final AttributeKey<List<String>> ASYNC_OPERATIONS = stringArrayKey("mason.databricks.operations");
  static final AttributeKey<String> ASYNC_OPERATION = stringKey("mason.databricks.operation");
  /** The terminal CLI that made a gateway call, and its own conversation id. */
  static final AttributeKey<String> CLI = stringKey("mason.cli");
  static final AttributeKey<String> CLI_CONVERSATION = stringKey("mason.cli.conversation_id");
  /** Where a gateway call stands in its turn: prompt, tool_results or side. */
  static final AttributeKey<String> GATEWAY_ROLE = stringKey("mason.gateway.role");
  /** The experiment a span's trace goes to; the exporter files the spans by it. */
  static final AttributeKey<String> EXPERIMENT = stringKey("mason.mlflow.experiment");
}
