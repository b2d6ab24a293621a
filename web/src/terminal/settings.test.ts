import { describe, expect, test } from "vitest";
import { FONTS, SETTINGS_KEY, THEME_NAMES, THEMES, clampFontSize, loadSettings, saveSettings } from "./settings";
import type { KeyValueStore } from "./paneStore";

function store(initial: Record<string, string> = {}): KeyValueStore & { map: Map<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
  };
}

describe("terminal settings", () => {
  test("there are eight themes, each with the sixteen colours", () => {
    expect(THEME_NAMES).toEqual(["dark", "light", "dracula", "solarized-dark", "solarized-light", "nord", "monokai", "github-dark"]);
    for (const name of THEME_NAMES) {
      const colors = THEMES[name].colors;
      for (const key of ["background", "foreground", "black", "red", "brightWhite"] as const) expect(colors[key]).toMatch(/^#[0-9a-f]{6}$/);
    }
  });

  test("a first visit follows the system's light or dark preference", () => {
    expect(loadSettings(store(), true).theme).toBe("dark");
    expect(loadSettings(store(), false).theme).toBe("light");
  });

  test("what was chosen is remembered", () => {
    const s = store();
    saveSettings(s, { theme: "nord", fontFamily: FONTS[2].value, fontSize: 18, extraKeys: "on" });
    expect(loadSettings(s, false)).toEqual({ theme: "nord", fontFamily: FONTS[2].value, fontSize: 18, extraKeys: "on" });
  });

  test("each bad value falls back to its own default without losing the others", () => {
    const s = store({ [SETTINGS_KEY]: JSON.stringify({ theme: "neon", fontFamily: "Comic Sans", fontSize: 99, extraKeys: "sometimes" }) });
    expect(loadSettings(s, true)).toEqual({ theme: "dark", fontFamily: FONTS[0].value, fontSize: 32, extraKeys: "auto" });
    expect(loadSettings(store({ [SETTINGS_KEY]: "{broken" }), false).theme).toBe("light");
    expect(loadSettings(store({ [SETTINGS_KEY]: JSON.stringify({ theme: "dracula", fontSize: 3 }) }), false)).toMatchObject({ theme: "dracula", fontSize: 8 });
  });

  test("font sizes stay between 8 and 32", () => {
    expect([clampFontSize(7), clampFontSize(14.4), clampFontSize(40), clampFontSize(NaN)]).toEqual([8, 14, 32, 14]);
  });

  test("a full or disabled storage does not break the page", () => {
    const s = { getItem: () => null, setItem: () => { throw new Error("quota"); }, removeItem: () => {} };
    expect(() => saveSettings(s, loadSettings(s, true))).not.toThrow();
  });
});
