// The terminal page's keyboard shortcuts: which chord does what, the list the Ctrl+/ sheet shows,
// and the page-wide listener. The page decides what each action does (TerminalPage.tsx).
//
// A shortcut must never take a key a shell or a full-screen program needs, so every chord is one
// that xterm.js sends nothing for, or one whose meaning the shell also gets another way:
// - Ctrl+Shift+letter, [, ], 1–9: xterm.js sends nothing for Ctrl with Shift (Ctrl+letter alone is
//   the control character, and stays the shell's). Ctrl+Shift+2 would be Ctrl+@ (NUL), which
//   Ctrl+Space still sends.
// - Alt+Shift+letter: Meta with a capital, which readline treats as the lower-case Meta key, so
//   Alt+t, Alt+d, Alt+w stay the shell's. Alt+Shift+[ and ] are bash's rarely used M-{ and M-}.
// - Ctrl+/, Ctrl+=, Ctrl+- and Ctrl+0: xterm.js sends nothing for these (Ctrl+_ , that is
//   Ctrl+Shift+-, stays readline's undo, so font-smaller requires no Shift).
// New and close tab are not the reference's Ctrl+Shift+T and Ctrl+Shift+W: a browser keeps those
// for itself (reopen a closed tab, close the window) and never hands them to the page.
// Chords are matched on `code` (the key's place), so Alt on a Mac, which types other letters, and
// keyboard layouts do not change them.

import { useEffect, useRef } from "react";

export type ShortcutAction =
  | { kind: "new-tab" }
  | { kind: "close-tab" }
  | { kind: "previous-tab" }
  | { kind: "next-tab" }
  | { kind: "tab"; index: number }
  | { kind: "split" }
  | { kind: "unsplit" }
  | { kind: "previous-pane" }
  | { kind: "next-pane" }
  | { kind: "sessions" }
  | { kind: "find" }
  | { kind: "font-bigger" }
  | { kind: "font-smaller" }
  | { kind: "font-reset" }
  | { kind: "help" };

export interface Shortcut {
  group: "Tabs" | "Panes" | "Sessions and search" | "Font size" | "Help";
  keys: string;
  what: string;
  /** The action's kind, for the sheet's rows and tests; "tab" stands for the nine jumps. */
  kind: ShortcutAction["kind"];
}

/** What the Ctrl+/ sheet lists, in its order. */
export const SHORTCUTS: Shortcut[] = [
  { group: "Tabs", keys: "Alt+Shift+T", what: "New tab", kind: "new-tab" },
  { group: "Tabs", keys: "Alt+Shift+X", what: "Close the tab (its shells keep running)", kind: "close-tab" },
  { group: "Tabs", keys: "Ctrl+Shift+[", what: "Previous tab", kind: "previous-tab" },
  { group: "Tabs", keys: "Ctrl+Shift+]", what: "Next tab", kind: "next-tab" },
  { group: "Tabs", keys: "Ctrl+Shift+1 … 9", what: "Go to tab 1 … 9", kind: "tab" },
  { group: "Panes", keys: "Alt+Shift+D", what: "Split the tab in two", kind: "split" },
  { group: "Panes", keys: "Alt+Shift+W", what: "Unsplit: close the focused pane (its shell keeps running)", kind: "unsplit" },
  { group: "Panes", keys: "Alt+Shift+[", what: "Focus the left pane", kind: "previous-pane" },
  { group: "Panes", keys: "Alt+Shift+]", what: "Focus the right pane", kind: "next-pane" },
  { group: "Sessions and search", keys: "Ctrl+Shift+S", what: "Sessions: reattach or end a shell", kind: "sessions" },
  { group: "Sessions and search", keys: "Ctrl+Shift+F", what: "Find in the terminal (Enter next, Shift+Enter previous, Esc closes)", kind: "find" },
  { group: "Font size", keys: "Ctrl+=", what: "Larger", kind: "font-bigger" },
  { group: "Font size", keys: "Ctrl+-", what: "Smaller", kind: "font-smaller" },
  { group: "Font size", keys: "Ctrl+0", what: "Default size", kind: "font-reset" },
  { group: "Help", keys: "Ctrl+/", what: "This list", kind: "help" },
];

/** The parts of a KeyboardEvent a chord is read from. */
export type KeyChord = Pick<KeyboardEvent, "code" | "ctrlKey" | "shiftKey" | "altKey" | "metaKey">;

const ALT_SHIFT: Record<string, ShortcutAction> = {
  KeyT: { kind: "new-tab" },
  KeyX: { kind: "close-tab" },
  KeyD: { kind: "split" },
  KeyW: { kind: "unsplit" },
  BracketLeft: { kind: "previous-pane" },
  BracketRight: { kind: "next-pane" },
};

const CTRL_SHIFT: Record<string, ShortcutAction> = {
  BracketLeft: { kind: "previous-tab" },
  BracketRight: { kind: "next-tab" },
  KeyS: { kind: "sessions" },
  KeyF: { kind: "find" },
};

/** The action a key press asks for, or null when the key belongs to the terminal. */
export function shortcutFor(e: KeyChord): ShortcutAction | null {
  if (e.metaKey) return null;
  const { ctrlKey: ctrl, shiftKey: shift, altKey: alt, code } = e;
  if (alt && shift && !ctrl) return ALT_SHIFT[code] ?? null;
  if (ctrl && shift && !alt) {
    const digit = /^Digit([1-9])$/.exec(code);
    if (digit) return { kind: "tab", index: Number(digit[1]) - 1 };
    // Ctrl++ is Ctrl+Shift+= on most layouts: the same as Ctrl+=.
    if (code === "Equal" || code === "NumpadAdd") return { kind: "font-bigger" };
    return CTRL_SHIFT[code] ?? null;
  }
  if (ctrl && !shift && !alt) {
    switch (code) {
      case "Slash":
        return { kind: "help" };
      case "Equal":
      case "NumpadAdd":
        return { kind: "font-bigger" };
      case "Minus":
      case "NumpadSubtract":
        return { kind: "font-smaller" };
      case "Digit0":
      case "Numpad0":
        return { kind: "font-reset" };
    }
  }
  return null;
}

/** Only the font size repeats while its key is held; a held Alt+Shift+T opens one tab, not ten. */
const REPEATS = new Set<ShortcutAction["kind"]>(["font-bigger", "font-smaller"]);

/**
 * Listens for the shortcuts on the whole page, in the capture phase, so a chord is handled before
 * xterm (or any field) sees it and reaches neither; every other key goes on untouched.
 */
export function useShortcuts(onAction: (action: ShortcutAction) => void, enabled: boolean): void {
  const latest = useRef(onAction);
  latest.current = onAction;
  useEffect(() => {
    if (!enabled) return;
    const listener = (e: KeyboardEvent) => {
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat && !REPEATS.has(action.kind)) return;
      latest.current(action);
    };
    window.addEventListener("keydown", listener, true);
    return () => window.removeEventListener("keydown", listener, true);
  }, [enabled]);
}
