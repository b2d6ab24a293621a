import type { ReactNode } from "react";
import { CopyButton } from "./CopyButton";

export function Banner(props: { kind: "error" | "warning" | "info"; testId?: string; onClose?: () => void; children: ReactNode }) {
  return (
    <div className={`banner banner-${props.kind}`} role={props.kind === "error" ? "alert" : "status"} data-testid={props.testId}>
      <div className="banner-text">{props.children}</div>
      {props.onClose && (
        <button className="icon-button" aria-label="Dismiss" onClick={props.onClose}>
          ×
        </button>
      )}
    </div>
  );
}

/** The variables that give Mason a model, one way per line; the reader keeps the one that fits. */
export const MODEL_SNIPPET = `# One of these, in Mason's environment, then restart Mason:
# the Anthropic API
ANTHROPIC_API_KEY=sk-ant-...
# or a Databricks workspace's serving endpoints
DATABRICKS_HOST=https://<workspace>.cloud.databricks.com
DATABRICKS_TOKEN=dapi...
# or an Anthropic-compatible gateway
ANTHROPIC_BASE_URL=https://gateway.example.com
ANTHROPIC_AUTH_TOKEN=...
# optional: the model to use
ANTHROPIC_MODEL=claude-sonnet-4-5`;

/**
 * Said before the first message, because nothing can be sent without it: no model is configured.
 * Only the server's environment fixes it, so it points there and not to the Settings panel.
 */
export function NoModelBanner() {
  return (
    <Banner kind="warning" testId="banner-no-model">
      <strong>No model is configured</strong>, so the agent cannot answer yet. Set one of these in Mason's environment and
      restart Mason:
      <div className="snippet">
        <pre data-testid="model-snippet">{MODEL_SNIPPET}</pre>
        <CopyButton text={MODEL_SNIPPET} testId="copy-model-snippet" />
      </div>
    </Banner>
  );
}
