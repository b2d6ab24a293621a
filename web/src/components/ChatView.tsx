import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ApiFailure, api, enc, errorMessage } from "../api/client";
import type { Conversation, ConversationExecutions, ConversationSettings, InvokeResponse, Project } from "../api/types";
import { handOver, takeOver } from "../chat/handoff";
import { toTranscript, type DisplayTurn } from "../chat/transcript";
import { useLiveRun } from "../chat/useLiveRun";
import { useNotify } from "../hooks";
import { totalUsage, type RunBlock, type Todo } from "../stream/run";
import { AssistantBlocks, TodoList, UsageLine, toolLabel } from "./Blocks";
import { CopyButton } from "./CopyButton";
import { duration } from "../format";
import { Banner } from "./Banner";
import { Composer } from "./Composer";
import { TraceLink } from "./TraceLink";

export interface ChatViewProps {
  project: Project;
  conversationId: string | null;
  /** The settings a run gets: the conversation's own, else the defaults. */
  runSettings: () => Partial<ConversationSettings>;
  onConversationCreated: (conversationId: string) => void;
  onRunningChange: (conversationId: string, running: boolean) => void;
  onConversationChanged: () => void;
  onFilesChanged: () => void;
}

export function ChatView(props: ChatViewProps) {
  const { project, conversationId } = props;
  const notify = useNotify();
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [question, setQuestion] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const [stopping, setStopping] = useState(false);
  const [modelProblem, setModelProblem] = useState<string | null>(null);
  /** The conversation's last finished run, whose MLflow trace is linked under the transcript. */
  const [finishedRun, setFinishedRun] = useState<string | null>(null);
  const propsRef = useRef(props);
  propsRef.current = props;

  const loadConversation = useCallback(async (): Promise<Conversation | null> => {
    if (!conversationId) return null;
    try {
      const loaded = await api.get<Conversation>(`/api/projects/${enc(project.id)}/conversations/${enc(conversationId)}`);
      setConversation(loaded);
      setLoadError(null);
      return loaded;
    } catch (e) {
      setLoadError(errorMessage(e));
      return null;
    }
  }, [project.id, conversationId]);

  const live = useLiveRun({
    onFinished: async (finished) => {
      // The stored messages now hold the run: swap the live view for them in one render. If
      // they cannot be read, the live view stays: it is the only copy on screen.
      const stored = await loadConversation();
      if (finished && finished.status !== "running") setFinishedRun(finished.executionId);
      if (stored || !conversationId) {
        live.clear();
        setQuestion(null);
      }
      setStopping(false);
      if (finished?.conversationId ?? conversationId) propsRef.current.onRunningChange(finished?.conversationId ?? conversationId!, false);
      propsRef.current.onConversationChanged();
    },
    onFilesChanged: () => propsRef.current.onFilesChanged(),
  });

  // Opening a conversation: a run handed over from the new-conversation page, else whatever
  // runs there now (another tab, or this page before a reload). Executions are read before the
  // messages: a run that ends in between then shows twice for a moment, never not at all.
  useEffect(() => {
    if (!conversationId) return;
    let cancelled = false;
    setFinishedRun(null);
    const handoff = takeOver(conversationId);
    void (async () => {
      if (handoff) {
        setQuestion(handoff.question);
        live.start(handoff.executionId, conversationId);
        await loadConversation();
        return;
      }
      let active = null;
      try {
        const executions = await api.get<ConversationExecutions>(
          `/api/projects/${enc(project.id)}/conversations/${enc(conversationId)}/executions`,
        );
        active = executions.active && executions.active.status === "running" ? executions.active : null;
        const last = executions.recent.find((e) => e.status !== "running");
        if (!active && last && !cancelled) setFinishedRun(last.id);
      } catch {
        active = null; // no executions endpoint yet, or none: show what is stored
      }
      await loadConversation();
      if (!cancelled && active) {
        live.start(active.id, conversationId);
        propsRef.current.onRunningChange(conversationId, true);
      }
    })();
    return () => {
      cancelled = true;
    };
  }, [conversationId, project.id]);

  const turns = useMemo(() => toTranscript(conversation?.messages ?? []), [conversation]);
  const running = live.run !== null && !live.run.finished;

  const send = async (text: string): Promise<boolean> => {
    if (running || sending) return false;
    setSending(true);
    setModelProblem(null);
    setQuestion(text);
    try {
      const response = await api.post<InvokeResponse>("/api/invoke_agent", {
        project_id: project.id,
        conversation_id: conversationId ?? undefined,
        message: text,
        ...props.runSettings(),
      });
      if (!conversationId || response.conversation_id !== conversationId) {
        handOver(response.conversation_id, { executionId: response.execution_id, question: text });
        props.onRunningChange(response.conversation_id, true);
        props.onConversationCreated(response.conversation_id);
      } else {
        live.start(response.execution_id, conversationId);
        props.onRunningChange(conversationId, true);
      }
      return true;
    } catch (e) {
      setQuestion(null);
      if (e instanceof ApiFailure && e.status === 409 && conversationId) {
        notify("info", "This conversation is already running; showing that run.");
        const executions = await api.get<ConversationExecutions>(
          `/api/projects/${enc(project.id)}/conversations/${enc(conversationId)}/executions`,
        ).catch(() => null);
        if (executions?.active) live.start(executions.active.id, conversationId);
      } else if (e instanceof ApiFailure && e.field === "model") {
        setModelProblem(e.message);
      } else {
        notify("error", errorMessage(e));
      }
      return false;
    } finally {
      setSending(false);
    }
  };

  // Edit-and-resend, regenerate and retry: the history is cut back to before the question, then it is asked again.
  const resend = async (fromMessageId: string, text: string) => {
    if (running || sending || !conversationId) return;
    try {
      await api.delete(`/api/projects/${enc(project.id)}/conversations/${enc(conversationId)}/messages?from=${enc(fromMessageId)}`);
    } catch (e) {
      notify("error", errorMessage(e));
      return;
    }
    await loadConversation();
    await send(text);
  };

  const stop = useCallback(async () => {
    const run = live.runRef.current;
    if (!run || run.finished) return;
    setStopping(true);
    try {
      await api.post(`/api/stop_stream/${enc(run.executionId)}`);
    } catch (e) {
      setStopping(false);
      notify("error", errorMessage(e));
    }
  }, [live.runRef, notify]);

  useEffect(() => {
    if (!running) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape" && !e.defaultPrevented && !document.querySelector("dialog[open]")) {
        e.preventDefault();
        void stop();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [running, stop]);

  // Auto-scroll follows new output while the reader is at the bottom; scrolling up pauses it.
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const [showJump, setShowJump] = useState(false);
  const onScroll = () => {
    const el = scroller.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 48;
    stick.current = atBottom;
    setShowJump(!atBottom);
  };
  const jump = () => {
    const el = scroller.current;
    if (!el) return;
    stick.current = true;
    el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
    setShowJump(false);
  };
  useLayoutEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [turns, live.run, question]);
  // A window resized (or a plan appearing below) changes the view without a scroll event: keep
  // the bottom in view when following, else say that there is more below.
  useEffect(() => {
    const el = scroller.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
      else setShowJump(el.scrollHeight - el.scrollTop - el.clientHeight >= 48);
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const lastStored = turns[turns.length - 1];
  const questionStored = question !== null && lastStored?.role === "user" && lastStored.text.trim() === question.trim();
  // The plan of the run in progress stays in view above the composer; finished turns show theirs inline.
  const todos: Todo[] | null = live.run && !live.run.finished ? live.run.todos : null;
  const empty = turns.length === 0 && !question && !live.run;

  return (
    <div className="chat">
      {modelProblem && (
        <Banner kind="warning" testId="banner-model" onClose={() => setModelProblem(null)}>
          {modelProblem}
        </Banner>
      )}
      <div className="transcript" ref={scroller} onScroll={onScroll} data-testid="transcript">
        <div className="transcript-inner">
          {loadError && <p className="error-text">Could not load this conversation: {loadError}</p>}
          {empty && !loadError && (
            <div className="chat-empty" data-testid="chat-empty">
              <h2>{conversationId ? conversation?.title ?? "" : "New conversation"}</h2>
              <p className="muted">
                Ask the agent to explore tables, write SQL, build a pipeline or a job in <strong>{project.name}</strong>. It works in
                this project's folder and on your workspace, as you.
              </p>
            </div>
          )}
          {turns.map((turn, i) => (
            <Turn
              key={turn.key}
              turn={turn}
              busy={running || sending}
              last={i === turns.length - 1 && !live.run && question === null}
              onResend={resend}
              askedBefore={lastQuestion(turns, i)}
            />
          ))}
          {finishedRun && !live.run && question === null && turns.length > 0 && <TraceLink executionId={finishedRun} />}
          {question !== null && !questionStored && (
            <div className="turn turn-user" data-testid="message-user" data-pending="true">
              <div className="bubble">{question}</div>
            </div>
          )}
          {live.run && (
            <div
              className="turn turn-assistant"
              data-testid="live-run"
              data-status={live.run.status}
              data-execution-id={live.run.executionId}
              aria-live="polite"
              aria-busy={!live.run.finished}
            >
              <AssistantBlocks blocks={live.run.blocks} live={!live.run.finished} cancelled={live.run.status === "cancelled"} />
              {!live.run.finished && (
                <div className="working muted" data-testid="working" aria-live="off">
                  <span className="spinner" aria-hidden />
                  {stopping ? "Stopping…" : live.connection === "reconnecting" ? "Reconnecting…" : "Working…"}
                  <span data-testid="working-step">{currentStep(live.run.blocks)}</span>
                  <Elapsed since={followedSince(live.run.executionId)} />
                </div>
              )}
              {!live.run.finished && live.run.retrying && (
                <div className="muted run-note" data-testid="run-retrying" title={live.run.retrying.reason}>
                  The model call failed; retrying{live.run.retrying.attempt ? ` (attempt ${live.run.retrying.attempt})` : ""}…
                </div>
              )}
              {live.run.error && (
                <div className="run-error error-text" data-testid="run-error">
                  {live.run.error}
                </div>
              )}
              {live.run.status === "cancelled" && <StoppedMark />}
              <UsageLine usage={Object.keys(live.run.usage).length ? totalUsage(live.run) : null} durationMs={live.run.result?.durationMs} />
            </div>
          )}
        </div>
      </div>
      <div className="composer-area">
        {showJump && (
          <button className="jump-latest" onClick={jump} data-testid="jump-to-latest">
            ↓ Jump to latest
          </button>
        )}
        {todos && todos.length > 0 && <TodoList todos={todos} testId="todo-list" />}
        <Composer running={running} sending={sending} stopping={stopping} onSend={send} onStop={stop} />
      </div>
    </div>
  );
}

function Turn(props: {
  turn: DisplayTurn;
  busy: boolean;
  last: boolean;
  askedBefore: { key: string; text: string } | null;
  onResend: (fromMessageId: string, text: string) => Promise<void>;
}) {
  const { turn, busy, last, askedBefore, onResend } = props;
  const [editing, setEditing] = useState<string | null>(null);
  if (turn.role === "user") {
    if (editing !== null) {
      return (
        <div className="turn turn-user" data-testid="message-user" data-editing="true">
          <div className="edit-box">
            <textarea
              value={editing}
              onChange={(e) => setEditing(e.target.value)}
              rows={Math.min(10, Math.max(2, editing.split("\n").length))}
              aria-label="Edit your message"
              data-testid="edit-input"
              autoFocus
            />
            <div className="edit-actions">
              <button className="ghost small" onClick={() => setEditing(null)}>
                Cancel
              </button>
              <button
                className="primary small"
                disabled={!editing.trim() || busy}
                onClick={() => {
                  const text = editing.trim();
                  setEditing(null);
                  void onResend(turn.key, text);
                }}
                data-testid="edit-send"
              >
                Send
              </button>
            </div>
          </div>
        </div>
      );
    }
    return (
      <div className="turn turn-user" data-testid="message-user">
        <div className="bubble">{turn.text}</div>
        <div className="message-actions">
          <CopyButton text={turn.text} testId="copy-message" />
          <button className="ghost small" disabled={busy} onClick={() => setEditing(turn.text)} data-testid="edit-message" title="Edit and send again">
            Edit
          </button>
        </div>
      </div>
    );
  }
  const plan = latestPlan(turn.blocks);
  const answer = turn.blocks
    .filter((b) => b.kind === "text")
    .map((b) => (b as { text: string }).text)
    .join("\n\n");
  return (
    <div className={`turn turn-assistant${turn.isError ? " turn-error" : ""}`} data-testid="message-assistant">
      <AssistantBlocks blocks={turn.blocks} live={false} cancelled={turn.cancelled} />
      {plan && plan.length > 0 && <TodoList todos={plan} testId="turn-plan" />}
      {turn.cancelled && <StoppedMark />}
      <div className="message-actions">
        {answer && <CopyButton text={answer} testId="copy-message" />}
        {last && askedBefore && (
          <button
            className={turn.isError ? "small" : "ghost small"}
            disabled={busy}
            onClick={() => void onResend(askedBefore.key, askedBefore.text)}
            data-testid={turn.isError ? "retry-run" : "regenerate"}
            title={turn.isError ? "Run the question again" : "Ask for a new answer"}
          >
            {turn.isError ? "Retry" : "Regenerate"}
          </button>
        )}
        <UsageLine usage={turn.usage} />
      </div>
    </div>
  );
}

/** The question an assistant turn answers: the user turn before it. */
function lastQuestion(turns: DisplayTurn[], index: number): { key: string; text: string } | null {
  for (let i = index - 1; i >= 0; i--) {
    const turn = turns[i];
    if (turn.role === "user") return turn.text.trim() ? { key: turn.key, text: turn.text } : null;
  }
  return null;
}

/** A run stopped by its user: neutral, not an error. */
function StoppedMark() {
  return (
    <div className="run-stopped" data-testid="run-stopped">
      <span className="stopped-square" aria-hidden /> Stopped
    </div>
  );
}

/** What the run does now: the model thinking or writing, or which tool runs. */
function currentStep(blocks: RunBlock[]): string {
  const last = blocks[blocks.length - 1];
  if (!last) return " · waiting for the model";
  if (last.kind === "tool") {
    const running = blocks.filter((b) => b.kind === "tool" && b.result === null);
    if (running.length > 0) return ` · running ${running.map((b) => toolLabel((b as { name: string }).name)).join(", ")}`;
    return " · waiting for the model";
  }
  if (last.open) return last.kind === "thinking" ? " · thinking" : " · writing";
  return " · waiting for the model";
}

/** When this page began following each run; a reload starts the clock again. */
const followed = new Map<string, number>();
function followedSince(executionId: string): number {
  if (!followed.has(executionId)) followed.set(executionId, Date.now());
  return followed.get(executionId)!;
}

function Elapsed({ since }: { since: number }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const seconds = Math.max(0, Math.floor((now - since) / 1000));
  return <span className="elapsed" data-testid="working-elapsed"> · {seconds < 60 ? `${seconds} s` : duration(seconds * 1000)}</span>;
}

/** The plan as the turn's last TodoWrite call left it. */
function latestPlan(blocks: RunBlock[]): Todo[] | null {
  for (let j = blocks.length - 1; j >= 0; j--) {
    const block = blocks[j];
    if (block.kind === "tool" && block.name === "TodoWrite") {
      const todos = (block.input as { todos?: unknown } | null)?.todos;
      return Array.isArray(todos) ? (todos as Todo[]) : null;
    }
  }
  return null;
}
