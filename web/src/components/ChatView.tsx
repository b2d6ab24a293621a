import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { ApiFailure, api, enc, errorMessage } from "../api/client";
import type { Conversation, ConversationExecutions, ConversationSettings, InvokeResponse, Project } from "../api/types";
import { handOver, takeOver } from "../chat/handoff";
import { toTranscript, type DisplayTurn } from "../chat/transcript";
import { useLiveRun } from "../chat/useLiveRun";
import { useNotify } from "../hooks";
import { totalUsage, type RunBlock, type Todo } from "../stream/run";
import { AssistantBlocks, TodoList, UsageLine } from "./Blocks";
import { Banner } from "./Banner";
import { Composer } from "./Composer";

export interface ChatViewProps {
  project: Project;
  conversationId: string | null;
  /** The settings a run gets: the conversation's own, else the defaults. */
  runSettings: () => Partial<ConversationSettings>;
  onConversationCreated: (conversationId: string) => void;
  onRunningChange: (conversationId: string, running: boolean) => void;
  onConversationChanged: () => void;
  onFilesChanged: () => void;
  onOpenSettings: () => void;
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
      if (e.key === "Escape" && !document.querySelector("dialog[open]")) {
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
          {modelProblem}{" "}
          <button className="link-button" onClick={props.onOpenSettings}>
            Open settings
          </button>
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
          {turns.map((turn) => (
            <Turn key={turn.key} turn={turn} />
          ))}
          {question !== null && !questionStored && (
            <div className="turn turn-user" data-testid="message-user" data-pending="true">
              <div className="bubble">{question}</div>
            </div>
          )}
          {live.run && (
            <div className="turn turn-assistant" data-testid="live-run" data-status={live.run.status} data-execution-id={live.run.executionId}>
              <AssistantBlocks blocks={live.run.blocks} live={!live.run.finished} cancelled={live.run.status === "cancelled"} />
              {!live.run.finished && (
                <div className="working muted" data-testid="working">
                  <span className="spinner" aria-hidden />
                  {stopping ? "Stopping…" : live.connection === "reconnecting" ? "Reconnecting…" : "Working…"}
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
              {live.run.status === "cancelled" && <div className="muted run-note">Stopped.</div>}
              <UsageLine usage={Object.keys(live.run.usage).length ? totalUsage(live.run) : null} durationMs={live.run.result?.durationMs} />
            </div>
          )}
        </div>
      </div>
      {showJump && (
        <button className="jump-latest" onClick={jump} data-testid="jump-to-latest">
          ↓ Jump to latest
        </button>
      )}
      <div className="composer-area">
        {todos && todos.length > 0 && <TodoList todos={todos} testId="todo-list" />}
        <Composer running={running} sending={sending} stopping={stopping} onSend={send} onStop={stop} />
      </div>
    </div>
  );
}

function Turn({ turn }: { turn: DisplayTurn }) {
  if (turn.role === "user") {
    return (
      <div className="turn turn-user" data-testid="message-user">
        <div className="bubble">{turn.text}</div>
      </div>
    );
  }
  const plan = latestPlan(turn.blocks);
  return (
    <div className={`turn turn-assistant${turn.isError ? " turn-error" : ""}`} data-testid="message-assistant">
      <AssistantBlocks blocks={turn.blocks} live={false} cancelled={turn.cancelled} />
      {plan && plan.length > 0 && <TodoList todos={plan} testId="turn-plan" />}
      {turn.cancelled && <div className="muted run-note">Stopped.</div>}
      <UsageLine usage={turn.usage} />
    </div>
  );
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
