// The terminal page's small controls: settings, search, the extra-keys row and dictation.

import { useEffect, useRef, useState, type KeyboardEvent } from "react";
import { EXTRA_KEYS, type ExtraKey } from "./keys";
import { FONTS, MAX_FONT_SIZE, MIN_FONT_SIZE, THEMES, THEME_NAMES, clampFontSize, type TerminalSettings, type ThemeName } from "./settings";
import { speechRecognition, transcript } from "./speech";

/** Where the Appearance strip is: its toggle button names it with aria-controls. */
export const APPEARANCE_ID = "term-appearance";

/**
 * The Appearance strip: a row under the toolbar, in the page's flow, so it covers no control (a
 * floating menu lay over the right pane's close button). Esc closes it (and still reaches the
 * terminal), and so does a tap anywhere but the strip and its own button.
 */
export function SettingsMenu(props: { settings: TerminalSettings; onChange(settings: TerminalSettings): void; onClose(): void }) {
  const { settings, onChange } = props;
  const ref = useRef<HTMLDivElement>(null);
  const close = useRef(props.onClose);
  close.current = props.onClose;
  useEffect(() => {
    const away = (e: PointerEvent) => {
      const target = e.target as Element | null;
      if (!target || ref.current?.contains(target) || target.closest?.(`[aria-controls="${APPEARANCE_ID}"]`)) return;
      close.current();
    };
    const escape = (e: globalThis.KeyboardEvent) => {
      if (e.key === "Escape") close.current();
    };
    document.addEventListener("pointerdown", away, true);
    window.addEventListener("keydown", escape, true);
    return () => {
      document.removeEventListener("pointerdown", away, true);
      window.removeEventListener("keydown", escape, true);
    };
  }, []);
  return (
    <div className="term-appearance" id={APPEARANCE_ID} ref={ref} data-testid="terminal-settings" role="group" aria-label="Appearance">
      <label>
        Theme
        <select value={settings.theme} onChange={(e) => onChange({ ...settings, theme: e.target.value as ThemeName })} data-testid="theme-select">
          {THEME_NAMES.map((name) => (
            <option key={name} value={name}>
              {THEMES[name].label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Font
        <select value={settings.fontFamily} onChange={(e) => onChange({ ...settings, fontFamily: e.target.value })} data-testid="font-family-select">
          {FONTS.map((font) => (
            <option key={font.label} value={font.value}>
              {font.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Size
        <span className="term-size">
          <button aria-label="Smaller" onClick={() => onChange({ ...settings, fontSize: clampFontSize(settings.fontSize - 1) })}>
            −
          </button>
          <input
            type="number"
            min={MIN_FONT_SIZE}
            max={MAX_FONT_SIZE}
            value={settings.fontSize}
            onChange={(e) => onChange({ ...settings, fontSize: clampFontSize(Number(e.target.value)) })}
            data-testid="font-size-input"
          />
          <button aria-label="Larger" onClick={() => onChange({ ...settings, fontSize: clampFontSize(settings.fontSize + 1) })}>
            +
          </button>
        </span>
      </label>
      <label>
        Extra keys
        <select value={settings.extraKeys} onChange={(e) => onChange({ ...settings, extraKeys: e.target.value as TerminalSettings["extraKeys"] })} data-testid="extra-keys-select">
          <option value="auto">On touch screens</option>
          <option value="on">Always</option>
          <option value="off">Never</option>
        </select>
      </label>
    </div>
  );
}

/** Ctrl+Shift+F: Enter finds the next match, Shift+Enter the previous, Esc closes. */
export function SearchBar(props: { onSearch(text: string, backwards: boolean): boolean; onClose(): void }) {
  const [text, setText] = useState("");
  const [missing, setMissing] = useState(false);
  const find = (backwards: boolean) => {
    if (text) setMissing(!props.onSearch(text, backwards));
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === "Enter") {
      e.preventDefault();
      find(e.shiftKey);
    } else if (e.key === "Escape") {
      e.preventDefault();
      props.onClose();
    }
  };
  return (
    <div className="term-search" role="search">
      <input
        autoFocus
        placeholder="Find in terminal"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setMissing(false);
        }}
        onKeyDown={key}
        className={missing ? "term-search-missing" : undefined}
        aria-label="Find in terminal"
        data-testid="search-input"
      />
      <button className="term-small" onClick={() => find(true)} aria-label="Previous match">
        ↑
      </button>
      <button className="term-small" onClick={() => find(false)} aria-label="Next match">
        ↓
      </button>
      <button className="term-small term-icon" onClick={props.onClose} aria-label="Close search">
        ×
      </button>
    </div>
  );
}

/** Buttons for keys a touch keyboard lacks; pressing one keeps the terminal focused. */
export function ExtraKeys(props: { controlArmed: boolean; onKey(key: ExtraKey): void }) {
  return (
    <div className="term-extra-keys" data-testid="extra-keys">
      {EXTRA_KEYS.map((k) => (
        <button
          key={k.key}
          title={k.title}
          aria-pressed={k.key === "Ctrl" ? props.controlArmed : undefined}
          className={k.key === "Ctrl" && props.controlArmed ? "term-key-armed" : undefined}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => props.onKey(k.key)}
          data-key={k.key}
        >
          {k.label}
        </button>
      ))}
    </div>
  );
}

export const dictationAvailable = (): boolean => speechRecognition() !== null;

/**
 * Dictation: what is heard appears in an editable box; Enter types it into the terminal (without
 * pressing Enter in the shell), Esc cancels. Listening restarts when the browser stops it early.
 */
export function Dictation(props: { onText(text: string): void; onClose(): void }) {
  const [shown, setShown] = useState({ text: "", interim: "" });
  const [error, setError] = useState<string | null>(null);
  /** Text kept from earlier runs of the recognizer and from the user's edits. */
  const kept = useRef("");
  /** Results of the current run already folded into `kept` (by an edit). */
  const consumed = useRef(0);
  /** How many results the current run has reported. */
  const seen = useRef(0);
  /** The final text of the current run since `consumed`. */
  const runFinal = useRef("");
  const stopped = useRef(false);

  useEffect(() => {
    const Recognizer = speechRecognition();
    if (!Recognizer) return;
    const r = new Recognizer();
    r.continuous = true;
    r.interimResults = true;
    r.lang = navigator.language || "en-US";
    r.onresult = (event) => {
      seen.current = event.results.length;
      const heard = transcript(event, consumed.current);
      runFinal.current = heard.final;
      setShown({ text: kept.current + heard.final, interim: heard.interim });
    };
    r.onerror = (event) => {
      if (event.error !== "no-speech" && event.error !== "aborted") setError(`Dictation stopped: ${event.error}`);
      if (event.error === "not-allowed" || event.error === "service-not-allowed" || event.error === "network") stopped.current = true;
    };
    r.onend = () => {
      // The browser ends a run after a silence; a new run starts with no results.
      kept.current += runFinal.current;
      runFinal.current = "";
      consumed.current = 0;
      seen.current = 0;
      if (stopped.current) return;
      try {
        r.start();
      } catch {
        // already started
      }
    };
    try {
      r.start();
    } catch (e) {
      setError(`Dictation cannot start: ${(e as Error).message}`);
    }
    return () => {
      stopped.current = true;
      r.abort();
    };
  }, []);

  const edit = (value: string) => {
    kept.current = value;
    consumed.current = seen.current;
    runFinal.current = "";
    setShown({ text: value, interim: "" });
  };
  const text = shown.text;
  const interim = shown.interim;
  const send = () => {
    const all = (text + interim).trim();
    if (all) props.onText(all);
    props.onClose();
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      send();
    } else if (e.key === "Escape") {
      e.preventDefault();
      props.onClose();
    }
  };
  return (
    <div className="term-dictation" data-testid="dictation">
      <span className="term-listening" aria-hidden />
      <textarea
        autoFocus
        rows={2}
        value={text + interim}
        placeholder="Listening… speak, then press Enter to type it into the terminal"
        onChange={(e) => edit(e.target.value)}
        onKeyDown={key}
        aria-label="Dictated text"
      />
      {error && <span className="term-error">{error}</span>}
      <button className="primary term-small" onClick={send}>
        Type it
      </button>
      <button className="term-small" onClick={props.onClose}>
        Cancel
      </button>
    </div>
  );
}
