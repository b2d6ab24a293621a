// The extra-keys row for touch screens, whose keyboards lack Esc, Tab, Ctrl and arrows.

export type ExtraKey = "Esc" | "Tab" | "Ctrl" | "Left" | "Up" | "Down" | "Right";

export const EXTRA_KEYS: { key: ExtraKey; label: string; title: string }[] = [
  { key: "Esc", label: "Esc", title: "Escape" },
  { key: "Tab", label: "Tab", title: "Tab" },
  { key: "Ctrl", label: "Ctrl", title: "Control: applies to the next key typed" },
  { key: "Left", label: "←", title: "Left arrow" },
  { key: "Up", label: "↑", title: "Up arrow" },
  { key: "Down", label: "↓", title: "Down arrow" },
  { key: "Right", label: "→", title: "Right arrow" },
];

/** What a key sends; arrows follow the terminal's cursor-key mode (DECCKM), as xterm's own keys do. */
export function keySequence(key: Exclude<ExtraKey, "Ctrl">, applicationCursor: boolean): string {
  const arrow = (final: string) => (applicationCursor ? `\x1bO${final}` : `\x1b[${final}`);
  switch (key) {
    case "Esc":
      return "\x1b";
    case "Tab":
      return "\t";
    case "Up":
      return arrow("A");
    case "Down":
      return arrow("B");
    case "Right":
      return arrow("C");
    case "Left":
      return arrow("D");
  }
}

/** Typed data with Ctrl held: a letter or one of @[\]^_ becomes its control character; anything else is unchanged. */
export function withControl(data: string): string {
  if (data.length !== 1) return data;
  const code = data.toUpperCase().charCodeAt(0);
  if (code >= 0x40 && code <= 0x5f) return String.fromCharCode(code & 0x1f);
  if (data === " ") return "\x00";
  if (data === "?") return "\x7f";
  return data;
}
