// The terminal's look, remembered per browser (localStorage): theme, font family and size, and
// whether the extra-keys row shows. The first visit follows the system's light or dark preference.

import type { ITheme } from "@xterm/xterm";
import type { KeyValueStore } from "./paneStore";

export type ThemeName = "dark" | "light" | "dracula" | "solarized-dark" | "solarized-light" | "nord" | "monokai" | "github-dark";

export interface TerminalTheme {
  label: string;
  dark: boolean;
  colors: ITheme;
}

export const THEMES: Record<ThemeName, TerminalTheme> = {
  dark: {
    label: "Dark",
    dark: true,
    colors: {
      background: "#16181b", foreground: "#e4e6e9", cursor: "#e4e6e9", cursorAccent: "#16181b", selectionBackground: "#3a4a5e",
      black: "#1d2024", red: "#f07b6e", green: "#5cc27f", yellow: "#e5c07b", blue: "#6ea8e8", magenta: "#c792ea", cyan: "#56c2d6", white: "#d0d4d9",
      brightBlack: "#5c6370", brightRed: "#ff9186", brightGreen: "#7ddc9c", brightYellow: "#f2d492", brightBlue: "#8cbcf0", brightMagenta: "#d7a9f2", brightCyan: "#7fd5e4", brightWhite: "#ffffff",
    },
  },
  light: {
    label: "Light",
    dark: false,
    colors: {
      background: "#ffffff", foreground: "#1f2328", cursor: "#1f2328", cursorAccent: "#ffffff", selectionBackground: "#c8daf0",
      black: "#1f2328", red: "#b42318", green: "#2f8a4c", yellow: "#9a6700", blue: "#2f6fb3", magenta: "#8250df", cyan: "#1b7c83", white: "#6a6f76",
      brightBlack: "#57606a", brightRed: "#d1242f", brightGreen: "#1a7f37", brightYellow: "#bf8700", brightBlue: "#0969da", brightMagenta: "#a475f9", brightCyan: "#3192aa", brightWhite: "#8c959f",
    },
  },
  dracula: {
    label: "Dracula",
    dark: true,
    colors: {
      background: "#282a36", foreground: "#f8f8f2", cursor: "#f8f8f2", cursorAccent: "#282a36", selectionBackground: "#44475a",
      black: "#21222c", red: "#ff5555", green: "#50fa7b", yellow: "#f1fa8c", blue: "#bd93f9", magenta: "#ff79c6", cyan: "#8be9fd", white: "#f8f8f2",
      brightBlack: "#6272a4", brightRed: "#ff6e6e", brightGreen: "#69ff94", brightYellow: "#ffffa5", brightBlue: "#d6acff", brightMagenta: "#ff92df", brightCyan: "#a4ffff", brightWhite: "#ffffff",
    },
  },
  "solarized-dark": {
    label: "Solarized Dark",
    dark: true,
    colors: {
      background: "#002b36", foreground: "#839496", cursor: "#93a1a1", cursorAccent: "#002b36", selectionBackground: "#073642",
      black: "#073642", red: "#dc322f", green: "#859900", yellow: "#b58900", blue: "#268bd2", magenta: "#d33682", cyan: "#2aa198", white: "#eee8d5",
      brightBlack: "#586e75", brightRed: "#cb4b16", brightGreen: "#586e75", brightYellow: "#657b83", brightBlue: "#839496", brightMagenta: "#6c71c4", brightCyan: "#93a1a1", brightWhite: "#fdf6e3",
    },
  },
  "solarized-light": {
    label: "Solarized Light",
    dark: false,
    colors: {
      background: "#fdf6e3", foreground: "#657b83", cursor: "#586e75", cursorAccent: "#fdf6e3", selectionBackground: "#eee8d5",
      black: "#073642", red: "#dc322f", green: "#859900", yellow: "#b58900", blue: "#268bd2", magenta: "#d33682", cyan: "#2aa198", white: "#eee8d5",
      brightBlack: "#002b36", brightRed: "#cb4b16", brightGreen: "#586e75", brightYellow: "#657b83", brightBlue: "#839496", brightMagenta: "#6c71c4", brightCyan: "#93a1a1", brightWhite: "#fdf6e3",
    },
  },
  nord: {
    label: "Nord",
    dark: true,
    colors: {
      background: "#2e3440", foreground: "#d8dee9", cursor: "#d8dee9", cursorAccent: "#2e3440", selectionBackground: "#434c5e",
      black: "#3b4252", red: "#bf616a", green: "#a3be8c", yellow: "#ebcb8b", blue: "#81a1c1", magenta: "#b48ead", cyan: "#88c0d0", white: "#e5e9f0",
      brightBlack: "#4c566a", brightRed: "#bf616a", brightGreen: "#a3be8c", brightYellow: "#ebcb8b", brightBlue: "#81a1c1", brightMagenta: "#b48ead", brightCyan: "#8fbcbb", brightWhite: "#eceff4",
    },
  },
  monokai: {
    label: "Monokai",
    dark: true,
    colors: {
      background: "#272822", foreground: "#f8f8f2", cursor: "#f8f8f0", cursorAccent: "#272822", selectionBackground: "#49483e",
      black: "#272822", red: "#f92672", green: "#a6e22e", yellow: "#f4bf75", blue: "#66d9ef", magenta: "#ae81ff", cyan: "#a1efe4", white: "#f8f8f2",
      brightBlack: "#75715e", brightRed: "#f92672", brightGreen: "#a6e22e", brightYellow: "#f4bf75", brightBlue: "#66d9ef", brightMagenta: "#ae81ff", brightCyan: "#a1efe4", brightWhite: "#f9f8f5",
    },
  },
  "github-dark": {
    label: "GitHub Dark",
    dark: true,
    colors: {
      background: "#0d1117", foreground: "#c9d1d9", cursor: "#c9d1d9", cursorAccent: "#0d1117", selectionBackground: "#264f78",
      black: "#484f58", red: "#ff7b72", green: "#3fb950", yellow: "#d29922", blue: "#58a6ff", magenta: "#bc8cff", cyan: "#39c5cf", white: "#b1bac4",
      brightBlack: "#6e7681", brightRed: "#ffa198", brightGreen: "#56d364", brightYellow: "#e3b341", brightBlue: "#79c0ff", brightMagenta: "#d2a8ff", brightCyan: "#56d4dd", brightWhite: "#f0f6fc",
    },
  },
};

export const THEME_NAMES = Object.keys(THEMES) as ThemeName[];

/** Families the system may have; the page loads no web fonts, so each falls back to the next and to monospace. */
export const FONTS: { label: string; value: string }[] = [
  { label: "System monospace", value: 'ui-monospace, "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace' },
  { label: "JetBrains Mono", value: '"JetBrains Mono", ui-monospace, monospace' },
  { label: "Fira Code", value: '"Fira Code", ui-monospace, monospace' },
  { label: "Cascadia Code", value: '"Cascadia Code", ui-monospace, monospace' },
  { label: "Source Code Pro", value: '"Source Code Pro", ui-monospace, monospace' },
  { label: "DejaVu Sans Mono", value: '"DejaVu Sans Mono", monospace' },
];

export const MIN_FONT_SIZE = 8;
export const MAX_FONT_SIZE = 32;
export const DEFAULT_FONT_SIZE = 14;

export type ExtraKeysMode = "auto" | "on" | "off";

export interface TerminalSettings {
  theme: ThemeName;
  fontFamily: string;
  fontSize: number;
  extraKeys: ExtraKeysMode;
}

export const SETTINGS_KEY = "mason.terminal.settings";

export function defaultSettings(prefersDark: boolean): TerminalSettings {
  return { theme: prefersDark ? "dark" : "light", fontFamily: FONTS[0].value, fontSize: DEFAULT_FONT_SIZE, extraKeys: "auto" };
}

export function clampFontSize(size: number): number {
  if (!Number.isFinite(size)) return DEFAULT_FONT_SIZE;
  return Math.min(MAX_FONT_SIZE, Math.max(MIN_FONT_SIZE, Math.round(size)));
}

/** The saved settings, each one checked on its own: a bad value falls back to its default, not the whole set. */
export function loadSettings(store: KeyValueStore, prefersDark: boolean): TerminalSettings {
  const defaults = defaultSettings(prefersDark);
  let saved: Partial<TerminalSettings> = {};
  try {
    saved = JSON.parse(store.getItem(SETTINGS_KEY) ?? "{}") ?? {};
  } catch {
    saved = {};
  }
  return {
    theme: typeof saved.theme === "string" && saved.theme in THEMES ? saved.theme : defaults.theme,
    fontFamily: typeof saved.fontFamily === "string" && FONTS.some((f) => f.value === saved.fontFamily) ? saved.fontFamily : defaults.fontFamily,
    fontSize: typeof saved.fontSize === "number" ? clampFontSize(saved.fontSize) : defaults.fontSize,
    extraKeys: saved.extraKeys === "on" || saved.extraKeys === "off" ? saved.extraKeys : "auto",
  };
}

export function saveSettings(store: KeyValueStore, settings: TerminalSettings): void {
  try {
    store.setItem(SETTINGS_KEY, JSON.stringify(settings));
  } catch {
    // storage full or disabled: the settings last for this page
  }
}
