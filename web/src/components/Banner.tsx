import type { ReactNode } from "react";

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
