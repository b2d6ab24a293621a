import { useEffect, useState } from "react";
import { api, enc, errorMessage } from "../api/client";
import type { SkillFile, SkillNode, SkillsAvailable } from "../api/types";
import { useFetch, useNotify } from "../hooks";
import { FileTree } from "./FileTree";
import { Markdown } from "./Markdown";
import { splitFrontMatter } from "./frontMatter";

/** Which skills the agent may load in this project, their files, and the system prompt it gets. */
export function SkillsPanel({ projectId, conversationId }: { projectId: string; conversationId: string | null }) {
  const notify = useNotify();
  const base = `/api/projects/${enc(projectId)}/skills`;
  const available = useFetch<SkillsAvailable>(`${base}/available`);
  const tree = useFetch<{ tree: SkillNode[] }>(`${base}/tree`);
  const [selected, setSelected] = useState<string | null>(null);
  const [file, setFile] = useState<SkillFile | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<string | null>(null);
  const [promptError, setPromptError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!selected) return;
    const controller = new AbortController();
    api
      .get<SkillFile>(`${base}/file?path=${enc(selected)}`, controller.signal)
      .then((f) => {
        setFile(f);
        setFileError(null);
      })
      .catch((e: Error) => {
        if (e.name !== "AbortError") {
          setFile(null);
          setFileError(e.message);
        }
      });
    return () => controller.abort();
  }, [base, selected]);

  const save = async (enabled: string[] | null) => {
    setBusy(true);
    try {
      await api.put(`${base}/enabled`, { enabled_skills: enabled });
      available.reload();
      if (prompt !== null) void showPrompt();
    } catch (e) {
      notify("error", errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (name: string) => {
    const skills = available.data?.skills ?? [];
    const enabled = skills.filter((s) => (s.name === name ? !s.enabled : s.enabled)).map((s) => s.name);
    void save(enabled.length === skills.length ? null : enabled);
  };

  const reloadSkills = async () => {
    setBusy(true);
    try {
      await api.post(`${base}/reload`);
      available.reload();
      tree.reload();
    } catch (e) {
      notify("error", errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const showPrompt = async () => {
    const query = `project_id=${enc(projectId)}${conversationId ? `&conversation_id=${enc(conversationId)}` : ""}`;
    try {
      const answer = await api.get<{ system_prompt: string }>(`/api/system_prompt?${query}`);
      setPrompt(answer.system_prompt);
      setPromptError(null);
    } catch (e) {
      setPromptError(errorMessage(e));
    }
  };

  if (available.error && (available.error as { status?: number }).status === 404 && !available.data) {
    return (
      <div className="panel-body">
        <h3>Skills</h3>
        <p className="muted small" data-testid="skills-unavailable">
          This server does not offer skills yet.
        </p>
      </div>
    );
  }

  const data = available.data;
  return (
    <div className="panel-body skills-panel">
      <div className="panel-head">
        <h3>Skills</h3>
        <button className="ghost small" onClick={reloadSkills} disabled={busy} data-testid="skills-reload">
          Reload
        </button>
      </div>
      {available.error && <p className="error-text small">{available.error.message}</p>}
      {data && (
        <>
          <p className="muted small">
            {data.enabled_count} of {data.total_count} enabled.{" "}
            {!data.all_enabled && (
              <button className="link-button" onClick={() => save(null)} disabled={busy} data-testid="skills-enable-all">
                Enable all
              </button>
            )}
          </p>
          <ul className="skill-list" data-testid="skills-list">
            {data.skills.map((skill) => (
              <li key={skill.name} className="skill" data-testid="skill-item" data-skill={skill.name}>
                <label className="switch-row">
                  <input type="checkbox" checked={skill.enabled} disabled={busy} onChange={() => toggle(skill.name)} data-testid="skill-toggle" />
                  <span>
                    <strong>{skill.name}</strong>
                    <span className="muted small skill-description">{skill.description}</span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        </>
      )}

      <h4>Skill files</h4>
      {tree.error && <p className="muted small">{tree.error.message}</p>}
      {tree.data && <FileTree nodes={tree.data.tree} selected={selected} onSelect={setSelected} testId="skills-tree" />}
      {selected && (
        <div className="viewer" data-testid="skill-viewer">
          <div className="viewer-head">
            <code className="viewer-path">{selected}</code>
          </div>
          {fileError && <p className="muted small">{fileError}</p>}
          {file &&
            (file.filename.toLowerCase().endsWith(".md") ? (
              <SkillMarkdown text={file.content} />
            ) : (
              <pre className="viewer-pre">{file.content}</pre>
            ))}
        </div>
      )}

      <h4>System prompt</h4>
      <button className="ghost small" onClick={showPrompt} data-testid="system-prompt-show">
        {prompt === null ? "Preview" : "Refresh"}
      </button>
      {promptError && <p className="muted small">{promptError}</p>}
      {prompt !== null && (
        <pre className="viewer-pre prompt" data-testid="system-prompt">
          {prompt}
        </pre>
      )}
    </div>
  );
}

/** A markdown file of a skill: its front matter as the name and description, then the body rendered. */
function SkillMarkdown({ text }: { text: string }) {
  const { fields, body } = splitFrontMatter(text);
  return (
    <div className="viewer-rendered">
      {(fields.name || fields.description) && (
        <div className="skill-front" data-testid="skill-front-matter">
          {fields.name && <div className="skill-front-name">{fields.name}</div>}
          {fields.description && <div className="muted small">{fields.description}</div>}
        </div>
      )}
      <Markdown text={body} />
    </div>
  );
}
