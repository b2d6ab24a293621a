import { useEffect, useState, type FormEvent } from "react";
import { api, enc, errorMessage } from "../api/client";
import type { Conversation, Project } from "../api/types";
import { ConfirmDialog, InlineRename } from "../components/Dialogs";
import { relativeTime } from "../format";
import { useFetch, useNotify } from "../hooks";
import { Link, navigate, projectPath } from "../router";

const RECENT_PER_PROJECT = 3;

export function HomePage() {
  const projects = useFetch<Project[]>("/api/projects");
  const notify = useNotify();
  const [name, setName] = useState("");
  const [creating, setCreating] = useState(false);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Project | null>(null);

  const create = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setCreating(true);
    try {
      const project = await api.post<Project>("/api/projects", { name: trimmed });
      setName("");
      projects.set((list) => [project, ...(list ?? [])]);
    } catch (err) {
      notify("error", errorMessage(err));
    } finally {
      setCreating(false);
    }
  };

  const rename = async (project: Project, newName: string) => {
    setRenaming(null);
    try {
      const updated = await api.patch<Project>(`/api/projects/${enc(project.id)}`, { name: newName });
      projects.set((list) => (list ?? []).map((p) => (p.id === project.id ? updated : p)));
    } catch (err) {
      notify("error", errorMessage(err));
    }
  };

  const remove = async (project: Project) => {
    setDeleting(null);
    try {
      await api.delete(`/api/projects/${enc(project.id)}`);
      projects.set((list) => (list ?? []).filter((p) => p.id !== project.id));
    } catch (err) {
      notify("error", errorMessage(err));
    }
  };

  return (
    <div className="home">
      <div className="home-head">
        <h1>Projects</h1>
        <form className="new-project" onSubmit={create}>
          <input
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="New project name"
            aria-label="New project name"
            maxLength={200}
            data-testid="new-project-input"
          />
          <button type="submit" className="primary" disabled={creating || !name.trim()} data-testid="new-project-button">
            Create project
          </button>
        </form>
      </div>
      {projects.error && <p className="error-text">Could not load projects: {projects.error.message}</p>}
      {projects.loading && !projects.data && <p className="muted">Loading…</p>}
      {projects.data && projects.data.length === 0 && (
        <div className="empty-state" data-testid="no-projects">
          <p>No projects yet. A project is a folder the agent works in, with its own conversations and skills.</p>
          <p className="muted">Name one above to start.</p>
        </div>
      )}
      <ul className="project-grid" data-testid="project-list">
        {projects.data?.map((project) => (
          <li key={project.id} className="project-card" data-testid="project-item" data-project-id={project.id} data-project-name={project.name}>
            <div className="project-card-head">
              {renaming === project.id ? (
                <InlineRename value={project.name} onSave={(v) => rename(project, v)} onCancel={() => setRenaming(null)} testId="project-rename-input" />
              ) : (
                <Link to={projectPath(project.id)} className="project-name" data-testid="project-link">
                  {project.name}
                </Link>
              )}
              <div className="card-actions">
                <button className="ghost small" onClick={() => setRenaming(project.id)} data-testid="project-rename" title="Rename">
                  Rename
                </button>
                <button className="ghost small danger-text" onClick={() => setDeleting(project)} data-testid="project-delete" title="Delete">
                  Delete
                </button>
              </div>
            </div>
            <RecentConversations project={project} />
            <div className="project-card-foot muted">
              {project.conversation_count} conversation{project.conversation_count === 1 ? "" : "s"} · updated {relativeTime(project.updated_at)}
            </div>
          </li>
        ))}
      </ul>
      {deleting && (
        <ConfirmDialog
          title={`Delete “${deleting.name}”?`}
          message="Its conversations and its folder (every file the agent wrote) are deleted. This cannot be undone."
          confirmLabel="Delete project"
          onConfirm={() => remove(deleting)}
          onCancel={() => setDeleting(null)}
        />
      )}
    </div>
  );
}

function RecentConversations({ project }: { project: Project }) {
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  useEffect(() => {
    if (project.conversation_count === 0) {
      setConversations([]);
      return;
    }
    const controller = new AbortController();
    api
      .get<Conversation[]>(`/api/projects/${enc(project.id)}/conversations`, controller.signal)
      .then(setConversations)
      .catch(() => setConversations([]));
    return () => controller.abort();
  }, [project.id, project.conversation_count]);
  if (!conversations || conversations.length === 0) {
    return (
      <button className="link-button recent-empty" onClick={() => navigate(projectPath(project.id))}>
        Start a conversation →
      </button>
    );
  }
  const recent = [...conversations].sort((a, b) => (b.updated_at ?? "").localeCompare(a.updated_at ?? "")).slice(0, RECENT_PER_PROJECT);
  return (
    <ul className="recent-list">
      {recent.map((c) => (
        <li key={c.id}>
          <Link to={projectPath(project.id, c.id)} data-testid="recent-conversation">
            {c.title || "Untitled"}
          </Link>
          <span className="muted"> · {relativeTime(c.updated_at)}</span>
        </li>
      ))}
    </ul>
  );
}
