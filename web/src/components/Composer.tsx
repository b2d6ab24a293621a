import { useRef, useState, type KeyboardEvent } from "react";

/** Enter sends, Shift+Enter adds a line; the stop button (or Esc, handled by the chat) stops. */
export function Composer(props: {
  running: boolean;
  sending: boolean;
  stopping: boolean;
  onSend: (text: string) => Promise<boolean>;
  onStop: () => void;
}) {
  const [text, setText] = useState("");
  const area = useRef<HTMLTextAreaElement>(null);

  const submit = async () => {
    const message = text.trim();
    if (!message || props.running || props.sending) return;
    setText("");
    const sent = await props.onSend(message);
    if (!sent) setText(message);
    area.current?.focus();
  };

  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void submit();
    }
  };

  return (
    <div className="composer">
      <textarea
        ref={area}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
        rows={Math.min(10, Math.max(2, text.split("\n").length))}
        placeholder={props.running ? "The agent is working… (Esc stops it)" : "Ask the agent… (Enter sends, Shift+Enter for a new line)"}
        aria-label="Message"
        data-testid="composer-input"
        autoFocus
      />
      {props.running ? (
        <button className="stop" onClick={props.onStop} disabled={props.stopping} data-testid="stop-button" title="Stop (Esc)">
          {props.stopping ? "Stopping…" : "Stop"}
        </button>
      ) : (
        <button className="primary" onClick={() => void submit()} disabled={!text.trim() || props.sending} data-testid="send-button">
          Send
        </button>
      )}
    </div>
  );
}
