// The shapes of Mason's HTTP API, as the server writes them (snake_case).

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

export type ExecutionStatus = "running" | "completed" | "cancelled" | "error" | "interrupted";

export interface Execution {
  id: string;
  conversation_id: string;
  project_id: string;
  status: ExecutionStatus;
  model?: string | null;
  error?: string | null;
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
