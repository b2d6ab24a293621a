import { useCallback, useEffect, useRef, useState } from "react";
import { api, enc, errorMessage } from "../api/client";
import type { Conversation, ConversationSettings, Project, RunningConversations } from "../api/types";
import { defaultSettings, effectiveSettings } from "../chat/defaults";
import { ChatStatus } from "../components/ChatStatus";
import { ChatView } from "../components/ChatView";
import { ConfirmDialog, InlineRename } from "../components/Dialogs";
import { FilesPanel } from "../components/FilesPanel";
import { SettingsPanel } from "../components/SettingsPanel";
import { SkillsPanel } from "../components/SkillsPanel";
import { relativeTime } from "../format";
import { followChanges } from "../stream/bus";
import { useFetch, useMe, useNotify } from "../hooks";
import { Link, navigate, projectPath } from "../router";

type Panel = "settings" | "files" | "skills" | null;

const PANELS = ["settings", "files", "skills"] as const;
/** Whether a side panel was open, and which, kept across visits and reloads. */
const PANEL_KEY = "mason.panel";

function rememberedPanel(): Panel {
  try {
    const saved = localStorage.getItem(PANEL_KEY);
    return (PANELS as readonly string[]).includes(saved ?? "") ? (saved as Panel) : null;
  } catch {
    return null;
  }
}

const EMPTY_SETTINGS: ConversationSettings = {
  cluster_id: null,
  warehouse_id: null,
  default_catalog: null,
  default_schema: null,
  workspace_folder: null,
  model: null,
  runtime: null,
};

export function ProjectPage({ projectId, conversationId }: { projectId: string; conversationId: string | null }) {
  const me = useMe();
  const notify = useNotify();
  const project = useFetch<Project>(`/api/projects/${enc(projectId)}`);
  const conversations = useFetch<Conversation[]>(`/api/projects/${enc(projectId)}/conversations`);
  const [running, setRunning] = useState<Record<string, boolean>>({});
  const [panel, setPanelState] = useState<Panel>(rememberedPanel);
  const [drawer, setDrawer] = useState(false);
  const [draft, setDraft] = useState<ConversationSettings>(EMPTY_SETTINGS);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Conversation | null>(null);
  const [filesVersion, setFilesVersion] = useState(0);

  const setPanel = useCallback((next: Panel) => {
    setPanelState(next);
    try {
      if (next) localStorage.setItem(PANEL_KEY, next);
      else localStorage.removeItem(PANEL_KEY);
    } catch {
      // private mode: the choice lasts for this page only
    }
  }, []);

  // Esc closes the drawer or the panel before anything else sees it (the chat's Esc stops a run);
  // a tap outside the panel (and outside the tabs that open it) closes it, at every size.
  const panelRef = useRef<HTMLElement>(null);
  useEffect(() => {
    if (!panel && !drawer) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== "Escape" || document.querySelector("dialog[open]")) return;
      e.preventDefault();
      e.stopImmediatePropagation();
      if (drawer) setDrawer(false);
      else setPanel(null);
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Element | null;
      if (!panel || drawer || !target?.closest) return;
      if (panelRef.current?.contains(target) || target.closest(".tabs, dialog")) return;
      setPanel(null);
    };
    window.addEventListener("keydown", onKey, true);
    document.addEventListener("pointerdown", onPointer, true);
    return () => {
      window.removeEventListener("keydown", onKey, true);
      document.removeEventListener("pointerdown", onPointer, true);
    };
  }, [panel, drawer, setPanel]);
  // Opening a conversation from the drawer closes it.
  useEffect(() => setDrawer(false), [conversationId]);

  const selected = conversations.data?.find((c) => c.id === conversationId) ?? null;
  const defaults = defaultSettings(me?.user ?? "user", project.data?.name ?? "project");
  const chosen: ConversationSettings = selected ?? draft;

  // Which conversations run now: asked once for the project when the live bus is ready, then kept
  // by the bus, which also brings new, retitled and deleted conversations (from this tab, other
  // tabs and other Masons on the same database) the moment they happen.
  const reloadConversations = conversations.reload;
  const setConversations = conversations.set;
  const setProject = project.set;
  useEffect(() => {
    let active = true;
    const loadRunning = () =>
      api
        .get<RunningConversations>(`/api/projects/${enc(projectId)}/running`)
        .then((x) => {
          if (active) setRunning(Object.fromEntries(x.conversation_ids.map((id) => [id, true])));
        })
        .catch(() => {});
    const stop = followChanges({
      onReady: () => {
        loadRunning();
        reloadConversations();
      },
      onChange: (change) => {
        if (change.project_id !== projectId) return;
        const cid = change.conversation_id;
        switch (change.type) {
          case "execution.started":
            if (cid) setRunning((r) => ({ ...r, [cid]: true }));
            break;
          case "execution.ended":
            if (cid) setRunning((r) => ({ ...r, [cid]: false }));
            reloadConversations();
            break;
          case "conversation.retitled":
            if (cid && change.title !== undefined) {
              const title = change.title;
              setConversations((list) => (list ? list.map((c) => (c.id === cid ? { ...c, title } : c)) : list));
            }
            break;
          case "conversation.created":
          case "conversation.deleted":
            reloadConversations();
            break;
          case "project.renamed":
            if (change.name !== undefined) {
              const name = change.name;
              setProject((p) => (p ? { ...p, name } : p));
            }
            break;
          default:
            break;
        }
      },
    });
    return () => {
      active = false;
      stop();
    };
  }, [projectId, reloadConversations, setConversations, setProject]);

  const onRunningChange = useCallback((id: string, value: boolean) => setRunning((r) => ({ ...r, [id]: value })), []);

  const newConversation = () => {
    setDraft(EMPTY_SETTINGS);
    navigate(projectPath(projectId));
  };

  const rename = async (c: Conversation, title: string) => {
    setRenaming(null);
    try {
      const updated = await api.patch<Conversation>(`/api/projects/${enc(projectId)}/conversations/${enc(c.id)}`, { title });
      conversations.set((list) => (list ?? []).map((x) => (x.id === c.id ? { ...x, ...updated, messages: undefined } : x)));
    } catch (e) {
      notify("error", errorMessage(e));
    }
  };

  const remove = async (c: Conversation) => {
    setDeleting(null);
    try {
      await api.delete(`/api/projects/${enc(projectId)}/conversations/${enc(c.id)}`);
      conversations.set((list) => (list ?? []).filter((x) => x.id !== c.id));
      if (c.id === conversationId) navigate(projectPath(projectId), { replace: true });
    } catch (e) {
      notify("error", errorMessage(e));
    }
  };

  const updateSetting = async (key: keyof ConversationSettings, value: string) => {
    if (!selected) {
      setDraft((d) => ({ ...d, [key]: value || null }));
      return;
    }
    conversations.set((list) => (list ?? []).map((x) => (x.id === selected.id ? { ...x, [key]: value || null } : x)));
    try {
      await api.patch<Conversation>(`/api/projects/${enc(projectId)}/conversations/${enc(selected.id)}`, { [key]: value });
    } catch (e) {
      notify("error", errorMessage(e));
      conversations.reload();
    }
  };

  const chosenRef = useRef(chosen);
  chosenRef.current = chosen;
  const defaultsRef = useRef(defaults);
  defaultsRef.current = defaults;
  const runSettings = useCallback(() => effectiveSettings(chosenRef.current, defaultsRef.current), []);

  if (project.error) {
    return (
      <div className="empty-page">
        <h1>Project not found</h1>
        <p>
          {project.error.message}. <Link to="/">Back to your projects</Link>
        </p>
      </div>
    );
  }
  if (!project.data) return <p className="muted page-pad">Loading…</p>;

  const sorted = [...(conversations.data ?? [])].sort((a, b) => (b.updated_at ?? "").localeCompare(a.updated_at ?? ""));

  return (
    <div className={`project-page${panel ? " with-panel" : ""}${drawer ? " drawer-open" : ""}`}>
      {drawer && <div className="drawer-backdrop" onClick={() => setDrawer(false)} data-testid="drawer-backdrop" aria-hidden />}
      <aside className="sidebar" id="project-sidebar" data-testid="sidebar">
        <div className="sidebar-head">
          <div className="sidebar-top">
            <Link to="/" className="muted small-link" data-testid="projects-link">
              ← Projects
            </Link>
            <button className="icon-button drawer-close" aria-label="Close menu" onClick={() => setDrawer(false)} data-testid="drawer-close">
              ×
            </button>
          </div>
          <h2 className="sidebar-title" title={project.data.name} data-testid="project-title">
            {project.data.name}
          </h2>
          <button className="primary wide" onClick={newConversation} data-testid="new-conversation-button">
            + New conversation
          </button>
        </div>
        <ul className="conversation-list" data-testid="conversation-list">
          {sorted.map((c) => (
            <li
              key={c.id}
              className={`conversation-item${c.id === conversationId ? " active" : ""}`}
              data-testid="conversation-item"
              data-conversation-id={c.id}
              data-running={running[c.id] ? "true" : "false"}
            >
              {renaming === c.id ? (
                <InlineRename value={c.title} onSave={(t) => rename(c, t)} onCancel={() => setRenaming(null)} testId="conversation-rename-input" />
              ) : (
                <Link to={projectPath(projectId, c.id)} className="conversation-link">
                  {running[c.id] && <span className="running-dot" title="Running" data-testid="running-marker" />}
                  <span className="conversation-title">{c.title || "Untitled"}</span>
                  <span className="conversation-time muted">{relativeTime(c.updated_at)}</span>
                </Link>
              )}
              <div className="item-actions">
                <button className="icon-button" title="Rename" aria-label="Rename" onClick={() => setRenaming(c.id)} data-testid="conversation-rename">
                  ✎
                </button>
                <button className="icon-button" title="Delete" aria-label="Delete" onClick={() => setDeleting(c)} data-testid="conversation-delete">
                  🗑
                </button>
              </div>
            </li>
          ))}
          {conversations.data && conversations.data.length === 0 && <li className="muted sidebar-empty">No conversations yet.</li>}
        </ul>
      </aside>

      <section className="chat-column">
        <div className="chat-head">
          <button
            className="icon-button menu-button"
            aria-label="Menu: conversations and projects"
            aria-expanded={drawer}
            aria-controls="project-sidebar"
            onClick={() => setDrawer(true)}
            data-testid="menu-button"
          >
            ☰
          </button>
          <div className="chat-heading">
            <h1 className="chat-title" data-testid="conversation-title">
              {selected?.title ?? (conversationId ? "" : "New conversation")}
            </h1>
            <ChatStatus model={chosen.model} />
          </div>
          <div className="tabs" role="tablist">
            {PANELS.map((p) => (
              <button
                key={p}
                role="tab"
                id={`tab-${p}`}
                aria-selected={panel === p}
                aria-controls={`side-panel-${p}`}
                className={`tab${panel === p ? " active" : ""}`}
                onClick={() => setPanel(panel === p ? null : p)}
                data-testid={`panel-${p}`}
              >
                {p[0].toUpperCase() + p.slice(1)}
              </button>
            ))}
          </div>
        </div>
        <ChatView
          key={conversationId ?? "new"}
          project={project.data}
          conversationId={conversationId}
          runSettings={runSettings}
          onConversationCreated={(cid) => {
            conversations.reload();
            navigate(projectPath(projectId, cid));
          }}
          onRunningChange={onRunningChange}
          onConversationChanged={() => conversations.reload()}
          onFilesChanged={() => setFilesVersion((v) => v + 1)}
        />
      </section>

      {panel && (
        <aside
          className="side-panel"
          ref={panelRef}
          id={`side-panel-${panel}`}
          role="tabpanel"
          aria-labelledby={`tab-${panel}`}
          data-testid={`side-panel-${panel}`}
        >
          <button className="icon-button panel-close" aria-label="Close panel" title="Close (Esc)" onClick={() => setPanel(null)} data-testid="panel-close">
            ×
          </button>
          {panel === "settings" && (
            <SettingsPanel settings={chosen} defaults={defaults} onChange={updateSetting} forNewConversation={!selected} />
          )}
          {panel === "files" && <FilesPanel projectId={projectId} version={filesVersion} />}
          {panel === "skills" && <SkillsPanel projectId={projectId} conversationId={conversationId} />}
        </aside>
      )}

      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.title || "Untitled"}”?`}
          message="Its messages are deleted. Files the agent wrote stay in the project."
          confirmLabel="Delete conversation"
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}
