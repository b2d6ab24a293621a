// A terminal theme colours the whole page, not only the terminals: while the terminal page is
// open, the app's colour variables (styles.css :root) are set from the theme's palette on the
// document's root element, so the top bar, tabs, pane headers, menus and dialogs take the
// terminal's colours. Leaving the page gives the app its own colours back.

import { useEffect } from "react";
import { THEMES, type TerminalTheme, type ThemeName } from "./settings";

/** The app's colour variables for a theme: surfaces and borders are the background tinted toward the text. */
export function pagePalette(theme: TerminalTheme): Record<string, string> {
  const c = theme.colors;
  const bg = c.background ?? (theme.dark ? "#16181b" : "#ffffff");
  const fg = c.foreground ?? (theme.dark ? "#e4e6e9" : "#1f2328");
  const blue = c.blue ?? fg;
  const red = c.red ?? fg;
  const green = c.green ?? fg;
  const yellow = c.yellow ?? fg;
  return {
    "--bg": bg,
    "--surface": mix(bg, fg, 0.05),
    "--surface-2": mix(bg, fg, 0.1),
    "--border": mix(bg, fg, 0.2),
    "--text": fg,
    "--muted": mix(fg, bg, 0.35),
    "--accent": blue,
    // Every theme's background stands apart from its blue, whether the theme is light or dark.
    "--accent-text": bg,
    "--accent-soft": mix(bg, blue, 0.18),
    "--danger": red,
    "--danger-soft": mix(bg, red, 0.15),
    "--warning-soft": mix(bg, yellow, 0.15),
    "--warning-border": mix(bg, yellow, 0.5),
    "--ok": green,
    "--code-bg": mix(bg, fg, 0.1),
    "--user-bubble": mix(bg, blue, 0.18),
    "color-scheme": theme.dark ? "dark" : "light",
  };
}

/** `a` moved toward `b` by `share` (0 to 1), both #rrggbb (or #rgb); `a` itself when either is not. */
export function mix(a: string, b: string, share: number): string {
  const from = rgb(a);
  const to = rgb(b);
  if (!from || !to) return a;
  return "#" + from.map((v, i) => Math.round(v + (to[i] - v) * share).toString(16).padStart(2, "0")).join("");
}

function rgb(hex: string): [number, number, number] | null {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(hex);
  if (short) return [short[1], short[2], short[3]].map((d) => parseInt(d + d, 16)) as [number, number, number];
  const long = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  return long ? ([long[1], long[2], long[3]].map((d) => parseInt(d, 16)) as [number, number, number]) : null;
}

/** Sets the page's colours from `name` while mounted; removes them again on unmount. */
export function usePageTheme(name: ThemeName): void {
  useEffect(() => {
    const root = document.documentElement;
    const palette = pagePalette(THEMES[name] ?? THEMES.dark);
    for (const [property, value] of Object.entries(palette)) root.style.setProperty(property, value);
    root.dataset.terminalTheme = name;
    return () => {
      for (const property of Object.keys(palette)) root.style.removeProperty(property);
      delete root.dataset.terminalTheme;
    };
  }, [name]);
}
