import { describe, expect, test } from "vitest";
import { SHORTCUTS, shortcutFor, type KeyChord } from "./shortcuts";
import { mix, pagePalette } from "./pageTheme";
import { THEMES } from "./settings";

function chord(spec: string): KeyChord {
  const parts = spec.split("+");
  const code = parts.pop()!;
  return { code, ctrlKey: parts.includes("Ctrl"), shiftKey: parts.includes("Shift"), altKey: parts.includes("Alt"), metaKey: parts.includes("Meta") };
}
const kind = (spec: string) => shortcutFor(chord(spec))?.kind ?? null;

describe("terminal shortcuts", () => {
  test("tabs: new, close, previous, next and 1–9", () => {
    expect(kind("Alt+Shift+KeyT")).toBe("new-tab");
    expect(kind("Alt+Shift+KeyX")).toBe("close-tab");
    expect(kind("Ctrl+Shift+BracketLeft")).toBe("previous-tab");
    expect(kind("Ctrl+Shift+BracketRight")).toBe("next-tab");
    expect(shortcutFor(chord("Ctrl+Shift+Digit1"))).toEqual({ kind: "tab", index: 0 });
    expect(shortcutFor(chord("Ctrl+Shift+Digit9"))).toEqual({ kind: "tab", index: 8 });
    expect(kind("Ctrl+Shift+Digit0")).toBeNull();
  });

  test("panes, sessions, find, font size and help", () => {
    expect(kind("Alt+Shift+KeyD")).toBe("split");
    expect(kind("Alt+Shift+KeyW")).toBe("unsplit");
    expect(kind("Alt+Shift+BracketLeft")).toBe("previous-pane");
    expect(kind("Alt+Shift+BracketRight")).toBe("next-pane");
    expect(kind("Ctrl+Shift+KeyS")).toBe("sessions");
    expect(kind("Ctrl+Shift+KeyF")).toBe("find");
    expect(kind("Ctrl+Equal")).toBe("font-bigger");
    expect(kind("Ctrl+Shift+Equal")).toBe("font-bigger");
    expect(kind("Ctrl+Minus")).toBe("font-smaller");
    expect(kind("Ctrl+Digit0")).toBe("font-reset");
    expect(kind("Ctrl+Slash")).toBe("help");
  });

  test("the keys a shell uses stay the shell's", () => {
    // Control characters, readline's Meta keys, its undo (Ctrl+_), and anything with Cmd.
    for (const key of ["Ctrl+KeyT", "Ctrl+KeyW", "Ctrl+KeyD", "Ctrl+KeyS", "Ctrl+KeyF", "Ctrl+BracketLeft", "Ctrl+BracketRight",
      "Alt+KeyT", "Alt+KeyD", "Alt+KeyW", "Alt+KeyX", "Alt+BracketLeft", "Ctrl+Shift+Minus", "Ctrl+Alt+KeyT", "Ctrl+Alt+Shift+KeyT",
      "Meta+Equal", "Meta+Shift+KeyT", "KeyT", "Shift+KeyT", "Ctrl+Shift+KeyC", "Ctrl+Shift+KeyV", "Ctrl+KeyC", "Escape"]) {
      expect(kind(key), key).toBeNull();
    }
  });

  test("the sheet lists every action once, and none on the keys the browser keeps", () => {
    const kinds = SHORTCUTS.map((s) => s.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toEqual(expect.arrayContaining(["new-tab", "close-tab", "previous-tab", "next-tab", "tab", "split", "unsplit", "sessions", "font-bigger", "font-smaller", "help"]));
    for (const s of SHORTCUTS) expect(s.keys).not.toMatch(/^Ctrl\+(Shift\+)?[TWN]$/);
  });
});

describe("the page's colours from a terminal theme", () => {
  test("mixing moves one colour toward another", () => {
    expect(mix("#000000", "#ffffff", 0.5)).toBe("#808080");
    expect(mix("#fff", "#000", 0)).toBe("#ffffff");
    expect(mix("red", "#000000", 0.5)).toBe("red");
  });

  test("every theme gives the page its background, text, accent and a colour scheme", () => {
    for (const theme of Object.values(THEMES)) {
      const palette = pagePalette(theme);
      expect(palette["--bg"]).toBe(theme.colors.background);
      expect(palette["--text"]).toBe(theme.colors.foreground);
      expect(palette["--accent"]).toBe(theme.colors.blue);
      expect(palette["color-scheme"]).toBe(theme.dark ? "dark" : "light");
      for (const value of Object.values(palette).filter((v) => v.startsWith("#"))) expect(value).toMatch(/^#[0-9a-f]{6}$/);
    }
    expect(pagePalette(THEMES.dracula)["--surface"]).toBe(mix("#282a36", "#f8f8f2", 0.05));
  });
});
