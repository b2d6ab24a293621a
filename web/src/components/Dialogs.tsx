import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type MouseEvent } from "react";

/**
 * A click handler for a modal <dialog> that closes it on a tap outside its box: the backdrop of a
 * modal dialog is the dialog element itself, so only the position tells the two apart.
 */
export function closeOnBackdrop(onClose: () => void) {
  return (e: MouseEvent<HTMLDialogElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    if (e.clientX < box.left || e.clientX > box.right || e.clientY < box.top || e.clientY > box.bottom) onClose();
  };
}

/** A modal asking to confirm something that cannot be undone. */
export function ConfirmDialog(props: {
  title: string;
  message: string;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
  }, []);
  return (
    <dialog ref={ref} className="dialog" onCancel={props.onCancel} data-testid="confirm-dialog">
      <h2>{props.title}</h2>
      <p>{props.message}</p>
      <div className="dialog-actions">
        <button onClick={props.onCancel} data-testid="confirm-cancel">
          Cancel
        </button>
        <button className="danger" onClick={props.onConfirm} data-testid="confirm-ok" autoFocus>
          {props.confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** A text field that replaces a label while renaming: Enter saves, Esc or blur without change cancels. */
export function InlineRename(props: { value: string; onSave: (value: string) => void; onCancel: () => void; testId?: string }) {
  const [value, setValue] = useState(props.value);
  const submit = (e?: FormEvent) => {
    e?.preventDefault();
    const trimmed = value.trim();
    if (trimmed && trimmed !== props.value) props.onSave(trimmed);
    else props.onCancel();
  };
  const key = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      props.onCancel();
    }
  };
  return (
    <form onSubmit={submit} className="inline-rename">
      <input
        autoFocus
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onBlur={() => submit()}
        onKeyDown={key}
        data-testid={props.testId}
        aria-label="New name"
      />
    </form>
  );
}
