// The settings a conversation starts with when none are set, derived as the reference app does:
// catalog ai_dev_kit, schema <email local part>_<project name>, folder under the user's home.

import { SETTING_KEYS, type ConversationSettings } from "../api/types";

export const DEFAULT_CATALOG = "ai_dev_kit";
export const SERVERLESS = "__serverless__";

/** A Unity Catalog identifier: lower case letters, digits and underscores, no runs of underscores. */
export function sanitizeIdentifier(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^_+|_+$/g, "");
}

export function defaultSchema(userEmail: string, projectName: string): string {
  const local = userEmail.split("@")[0] ?? userEmail;
  return sanitizeIdentifier(`${local}_${projectName}`) || "default";
}

/** A workspace folder name: the project's name with path separators and odd characters made safe. */
export function folderName(projectName: string): string {
  return projectName.trim().replace(/[^A-Za-z0-9._-]+/g, "_").replace(/^[._]+/, "") || "project";
}

export function defaultSettings(userEmail: string, projectName: string): ConversationSettings {
  return {
    cluster_id: null,
    warehouse_id: null,
    default_catalog: DEFAULT_CATALOG,
    default_schema: defaultSchema(userEmail, projectName),
    workspace_folder: `/Workspace/Users/${userEmail}/ai_dev_kit/${folderName(projectName)}`,
    model: null,
    runtime: null,
  };
}

/** What a run is given: each setting as chosen, else its default; unset ones are left out. */
export function effectiveSettings(chosen: Partial<ConversationSettings>, defaults: ConversationSettings): Partial<ConversationSettings> {
  const out: Partial<ConversationSettings> = {};
  for (const key of SETTING_KEYS) {
    const value = chosen[key] || defaults[key];
    if (value) out[key] = value;
  }
  return out;
}
