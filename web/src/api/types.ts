// The shapes of Mason's HTTP API, as the server writes them (snake_case).
//
// One source of truth: a type marked `@java <class>` mirrors that Java record field for field
// (a `?` where the record leaves a null field out), `@java-enum` lists an enum's wire values and
// `@java-sealed` the records of a sealed type. TypeScriptTypesTest (JUnit) reads both sides and
// fails the build when they drift.

export interface Me {
  user: string;
  workspace_url: string | null;
  identity_source?: string;
  database?: string;
  /** Absent from servers older than the model summary. */
  model?: ModelSummary;
}

export interface ModelSummary {
  configured: boolean;
  default_model: string | null;
  /** Which endpoint serves the default model, e.g. "the Anthropic API". */
  endpoint: string | null;
  /** When nothing is configured: the sentence saying what to set. */
  what_to_set: string | null;
}

export interface ChatEndpoint {
  name: string;
  task: string;
  ready: boolean;
}

/** @java dev.mason.project.Project */
export interface Project {
  id: string;
  name: string;
  user_email: string;
  created_at: string;
  updated_at: string;
  conversation_count: number;
}

export interface ConversationSettings {
  cluster_id: string | null;
  warehouse_id: string | null;
  default_catalog: string | null;
  default_schema: string | null;
  workspace_folder: string | null;
  model: string | null;
  /** "mason" (the built-in agent; also when null) or "claude-code". */
  runtime?: string | null;
}

/** GET /api/runtimes: the engines a conversation can run on, and why one cannot here. */
export interface RuntimeChoice {
  name: string;
  label: string;
  available: boolean;
  reason: string | null;
  default: boolean;
}

export type SettingKey = keyof ConversationSettings;

export const SETTING_KEYS: SettingKey[] = [
  "cluster_id",
  "warehouse_id",
  "default_catalog",
  "default_schema",
  "workspace_folder",
  "model",
  "runtime",
];

export interface Conversation extends ConversationSettings {
  id: string;
  project_id: string;
  title: string;
  created_at: string;
  updated_at: string;
  message_count: number;
  messages?: StoredMessage[];
}

export type ContentBlock =
  | { type: "text"; text: string }
  | { type: "thinking"; thinking: string; signature?: string }
  | { type: "tool_use"; id: string; name: string; input: unknown }
  | { type: "tool_result"; tool_use_id: string; content: unknown; is_error?: boolean; duration_ms?: number };

export interface Usage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation_input_tokens?: number;
}

export interface StoredMessage {
  id: number | string;
  role: "user" | "assistant";
  content: ContentBlock[] | string;
  created_at: string;
  is_error?: boolean;
  cancelled?: boolean;
  usage?: Usage | null;
  text?: string;
}

/** @java-enum dev.mason.agent.event.ExecutionStatus */
export type ExecutionStatus = "running" | "completed" | "cancelled" | "error" | "interrupted";

/** @java dev.mason.agent.Execution */
export interface Execution {
  id: string;
  conversation_id: string;
  project_id: string;
  status: ExecutionStatus;
  model: string | null;
  error: string | null;
  created_at: string;
  updated_at: string;
}

export interface ConversationExecutions {
  active: Execution | null;
  recent: Execution[];
}

export interface InvokeRequest extends Partial<ConversationSettings> {
  project_id: string;
  conversation_id?: string;
  message: string;
}

/** @java dev.mason.agent.ExecutionService.Started */
export interface InvokeResponse {
  execution_id: string;
  conversation_id: string;
}

export interface ProjectFile {
  path: string;
  name: string;
  size: number;
  modified: string | number;
}

export interface FileListing {
  project_id: string;
  files: ProjectFile[];
  truncated: boolean;
}

export interface FileContent {
  path: string;
  content: string;
  size: number;
}

export interface Warehouse {
  warehouse_id: string;
  warehouse_name: string;
  state: string;
  cluster_size?: string;
  creator_name?: string;
  is_serverless?: boolean;
}

export interface Cluster {
  cluster_id: string;
  cluster_name: string;
  state: string;
  creator_user_name?: string;
}

export interface SkillSummary {
  name: string;
  description: string;
  /** Other names that select the skill (in ENABLED_SKILLS and a project's choice). */
  aliases: string[];
  /** Tools the skill claims: a project that disables every skill claiming a tool does not offer it. */
  tools: string[];
  enabled: boolean;
}

export interface SkillsAvailable {
  skills: SkillSummary[];
  all_enabled: boolean;
  enabled_count: number;
  total_count: number;
}

export interface SkillNode {
  name: string;
  path: string;
  type: "file" | "directory";
  children?: SkillNode[];
}

export interface SkillFile {
  path: string;
  content: string;
  filename: string;
}

// The event model: the SSE `data` of /api/executions/{id}/events, each carrying its `type`.

/** @java dev.mason.agent.event.AgentEvent.ConversationCreated */
export interface ConversationCreatedEvent {
  type: "conversation.created";
  conversation_id: string;
  created: boolean;
  execution_id: string;
}

/** @java dev.mason.agent.event.AgentEvent.TextDelta */
export interface TextDeltaEvent {
  type: "text_delta";
  text: string;
}

/** @java dev.mason.agent.event.AgentEvent.ThinkingDelta */
export interface ThinkingDeltaEvent {
  type: "thinking_delta";
  thinking: string;
}

/** @java dev.mason.agent.event.AgentEvent.Text */
export interface TextEvent {
  type: "text";
  text: string;
}

/** @java dev.mason.agent.event.AgentEvent.Thinking */
export interface ThinkingEvent {
  type: "thinking";
  thinking: string;
}

/** @java dev.mason.agent.event.AgentEvent.ToolUse */
export interface ToolUseEvent {
  type: "tool_use";
  tool_id: string;
  tool_name: string;
  tool_input: unknown;
  /** The MCP server whose tool it is (Claude Code's mcp__<server>__ tools), shown beside the name. */
  tool_server?: string;
}

/** @java dev.mason.agent.event.AgentEvent.ToolResult */
export interface ToolResultEvent {
  type: "tool_result";
  tool_use_id: string;
  content: string;
  is_error: boolean;
  duration_ms?: number;
}

/** @java dev.mason.agent.event.AgentEvent.Todo */
export interface TodoItem {
  content: string;
  status: string;
  id: string | null;
}

/** @java dev.mason.agent.event.AgentEvent.Todos */
export interface TodosEvent {
  type: "todos";
  todos: TodoItem[];
}

/** @java dev.mason.agent.event.AgentEvent.Usage */
export interface UsageEvent {
  type: "usage";
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
  turn: number;
  stop_reason: string | null;
}

/** @java dev.mason.agent.event.AgentEvent.Tokens */
export interface Tokens {
  input_tokens: number;
  output_tokens: number;
  cache_read_input_tokens: number;
  cache_creation_input_tokens: number;
}

/** @java dev.mason.agent.event.AgentEvent.Result */
export interface ResultEvent {
  type: "result";
  status: ExecutionStatus;
  is_error: boolean;
  duration_ms: number;
  num_turns: number;
  usage?: Tokens;
  /** What the run cost, as Claude Code reports it. */
  total_cost_usd?: number;
}

/** @java dev.mason.agent.event.AgentEvent.Error */
export interface ErrorEvent {
  type: "error";
  error: string;
  /** True while the model call is retried: the deltas of the turn in progress are dropped. */
  retrying?: boolean;
  attempt?: number;
  delay_ms?: number;
  interrupted?: boolean;
  unstored_type?: string;
}

/** @java dev.mason.agent.event.AgentEvent.Cancelled */
export interface CancelledEvent {
  type: "cancelled";
}

/** @java dev.mason.agent.event.AgentEvent.Done */
export interface DoneEvent {
  type: "done";
  status: ExecutionStatus;
}

/** @java-sealed dev.mason.agent.event.AgentEvent */
export type AgentEvent =
  | ConversationCreatedEvent
  | TextDeltaEvent
  | ThinkingDeltaEvent
  | TextEvent
  | ThinkingEvent
  | ToolUseEvent
  | ToolResultEvent
  | TodosEvent
  | UsageEvent
  | ResultEvent
  | ErrorEvent
  | CancelledEvent
  | DoneEvent;

// The live bus: the SSE `data` of /api/events.

/** @java-enum dev.mason.bus.Change.Kind */
export type ChangeKind =
  | "project.created"
  | "project.renamed"
  | "project.deleted"
  | "conversation.created"
  | "conversation.retitled"
  | "conversation.deleted"
  | "execution.started"
  | "execution.ended"
  | "execution.stop_requested"
  | "task.queued"
  | "task.started"
  | "task.ended";

/** One change to the user's data; `seq` is the stream's cursor (the SSE id). @java dev.mason.bus.Change +seq */
export interface Change {
  type: ChangeKind;
  seq: number;
  project_id: string;
  conversation_id?: string;
  execution_id?: string;
  task_id?: string;
  /** The project's name (project.created, project.renamed). */
  name?: string;
  /** The conversation's title (conversation.created, conversation.retitled). */
  title?: string;
  /** The execution's or task's status. */
  status?: string;
}

/** The conversations of a project that have a run going now. @java dev.mason.agent.ExecutionRoutes.RunningConversations */
export interface RunningConversations {
  conversation_ids: string[];
}
