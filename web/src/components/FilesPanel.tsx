import { useEffect, useMemo, useState } from "react";
import { ApiFailure, api, enc } from "../api/client";
import type { FileContent, FileListing } from "../api/types";
import { bytes } from "../format";
import { useFetch } from "../hooks";
import { FileTree, treeFromPaths } from "./FileTree";
import { Markdown } from "./Markdown";

/** The project's files and a read-only viewer; both refresh when `version` changes. */
export function FilesPanel({ projectId, version }: { projectId: string; version: number }) {
  const listing = useFetch<FileListing>(`/api/projects/${enc(projectId)}/files`);
  const [selected, setSelected] = useState<string | null>(null);
  const [content, setContent] = useState<FileContent | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [raw, setRaw] = useState(false);
  const { reload } = listing;

  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);

  useEffect(() => {
    if (!selected) return;
    const controller = new AbortController();
    api
      .get<FileContent>(`/api/projects/${enc(projectId)}/files/content?path=${enc(selected)}`, controller.signal)
      .then((c) => {
        setContent(c);
        setProblem(null);
      })
      .catch((e: Error) => {
        if (e.name === "AbortError") return;
        setContent(null);
        if (e instanceof ApiFailure && e.status === 415) setProblem("This is a binary file; it cannot be shown here.");
        else if (e instanceof ApiFailure && e.status === 413) setProblem("This file is too large to show here.");
        else if (e instanceof ApiFailure && e.status === 404) setProblem("This file no longer exists.");
        else setProblem(e.message);
      });
    return () => controller.abort();
  }, [projectId, selected, version]);

  const tree = useMemo(() => treeFromPaths((listing.data?.files ?? []).map((f) => f.path)), [listing.data]);
  const isMarkdown = selected?.toLowerCase().endsWith(".md") ?? false;

  return (
    <div className="panel-body files-panel">
      <div className="panel-head">
        <h3>Files</h3>
        <button className="ghost small" onClick={reload} data-testid="files-refresh">
          Refresh
        </button>
      </div>
      {listing.error && <p className="error-text small">{listing.error.message}</p>}
      {listing.data && listing.data.files.length === 0 && <p className="muted small">The project folder is empty.</p>}
      <div className="files-tree-box">
        <FileTree nodes={tree} selected={selected} onSelect={setSelected} testId="files-tree" />
        {listing.data?.truncated && <p className="muted small">Only the first files are listed.</p>}
      </div>
      {selected && (
        <div className="viewer" data-testid="file-viewer">
          <div className="viewer-head">
            <code className="viewer-path">{selected}</code>
            {content && <span className="muted small">{bytes(content.size)}</span>}
            {isMarkdown && (
              <button className="ghost small" onClick={() => setRaw(!raw)}>
                {raw ? "Rendered" : "Source"}
              </button>
            )}
          </div>
          {problem && <p className="muted small">{problem}</p>}
          {content &&
            (isMarkdown && !raw ? (
              <div className="viewer-rendered">
                <Markdown text={content.content} />
              </div>
            ) : (
              <pre className="viewer-pre" data-testid="file-content">
                {content.content}
              </pre>
            ))}
        </div>
      )}
    </div>
  );
}
