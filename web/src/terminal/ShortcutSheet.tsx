import { useEffect, useRef } from "react";
import { closeOnBackdrop } from "../components/Dialogs";
import { SHORTCUTS, type Shortcut } from "./shortcuts";

/** The Ctrl+/ sheet: every shortcut of the page, by group. Closes with Esc, Done, or a tap outside it. */
export function ShortcutSheet(props: { onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
  }, []);
  const groups = new Map<Shortcut["group"], Shortcut[]>();
  for (const s of SHORTCUTS) groups.set(s.group, [...(groups.get(s.group) ?? []), s]);
  return (
    <dialog
      ref={ref}
      className="dialog term-sheet"
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      onClick={closeOnBackdrop(props.onClose)}
      aria-labelledby="term-sheet-title"
      data-testid="shortcut-sheet"
    >
      <h2 id="term-sheet-title">Keyboard shortcuts</h2>
      <p className="term-muted">Chords a shell does not use, so every other key still goes to the terminal.</p>
      <div className="term-sheet-groups">
        {[...groups].map(([group, list]) => (
          <section key={group}>
            <h3>{group}</h3>
            <table>
              <tbody>
                {list.map((s) => (
                  <tr key={s.kind} data-testid="shortcut" data-kind={s.kind}>
                    <td>
                      <kbd>{s.keys}</kbd>
                    </td>
                    <td>{s.what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ))}
      </div>
      <div className="dialog-actions">
        <button className="primary" onClick={props.onClose} autoFocus>
          Done
        </button>
      </div>
    </dialog>
  );
}
