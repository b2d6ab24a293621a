import { useState } from "react";

/** Copies `text` to the clipboard and says so for a moment. */
export function CopyButton({ text, label = "Copy", dark = false, testId = "copy" }: { text: string; label?: string; dark?: boolean; testId?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async (e: React.MouseEvent) => {
    e.stopPropagation();
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <button className={`ghost small copy-button${dark ? " on-dark" : ""}`} onClick={copy} data-testid={testId} aria-label={copied ? "Copied" : label}>
      {copied ? "Copied" : label}
    </button>
  );
}
