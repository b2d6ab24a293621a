import { Suspense, lazy, useCallback, useState } from "react";
import type { Me } from "./api/types";
import { MeContext, NoticeContext, useFetch, type Notice } from "./hooks";
import { Link, useRoute } from "./router";
import { HomePage } from "./pages/HomePage";
import { ProjectPage } from "./pages/ProjectPage";
import { Banner, NoModelBanner } from "./components/Banner";

// The terminal page brings xterm.js: loaded only when opened, so the chat pages stay light.
const TerminalPage = lazy(() => import("./terminal/TerminalPage"));

let nextNotice = 1;

/** A dismissed "no workspace" banner stays dismissed in this browser. */
const WORKSPACE_BANNER_KEY = "mason.banner.no-workspace.dismissed";

function remembered(key: string): boolean {
  try {
    return localStorage.getItem(key) === "1";
  } catch {
    return false;
  }
}

function remember(key: string) {
  try {
    localStorage.setItem(key, "1");
  } catch {
    // private mode: dismissed for this page only
  }
}

export function App() {
  const route = useRoute();
  const me = useFetch<Me>("/api/me");
  const [notices, setNotices] = useState<Notice[]>([]);
  const notify = useCallback((kind: Notice["kind"], text: string) => {
    setNotices((list) => [...list.filter((n) => n.text !== text), { id: nextNotice++, kind, text }].slice(-3));
  }, []);
  const dismiss = (id: number) => setNotices((list) => list.filter((n) => n.id !== id));
  const [workspaceDismissed, setWorkspaceDismissed] = useState(() => remembered(WORKSPACE_BANNER_KEY));
  const dismissWorkspace = () => {
    setWorkspaceDismissed(true);
    remember(WORKSPACE_BANNER_KEY);
  };

  return (
    <MeContext.Provider value={me.data}>
      <NoticeContext.Provider value={notify}>
        <div className="app">
          <header className="topbar">
            <Link to="/" className="brand" data-testid="home-link">
              <img src="/favicon.svg" alt="" width={22} height={22} />
              Mason
            </Link>
            <span className="spacer" />
            <Link to="/terminal" data-testid="terminal-link">
              Terminal
            </Link>
            {me.data && (
              <span className="whoami" data-testid="current-user" title={`identity: ${me.data.identity_source ?? "?"}`}>
                {me.data.user}
              </span>
            )}
          </header>
          <div className="banners">
            {me.error && <Banner kind="error" testId="banner-server">Mason did not answer: {me.error.message}</Banner>}
            {me.data?.model && !me.data.model.configured && route.page !== "terminal" && <NoModelBanner />}
            {me.data && !me.data.workspace_url && route.page !== "terminal" && !workspaceDismissed && (
              <Banner kind="warning" testId="banner-no-workspace" onClose={dismissWorkspace}>
                No Databricks workspace is configured, so the agent cannot run SQL, jobs or pipelines. Set{" "}
                <code>DATABRICKS_HOST</code> and <code>DATABRICKS_TOKEN</code> (or a Databricks CLI profile) in Mason's
                environment and restart it; on Databricks Apps the workspace is set for you.
              </Banner>
            )}
            {me.data?.database && me.data.database !== "ok" && (
              <Banner kind="error" testId="banner-database">Database problem: {me.data.database}</Banner>
            )}
            {notices.map((n) => (
              <Banner key={n.id} kind={n.kind === "error" ? "error" : "info"} testId="error-banner" onClose={() => dismiss(n.id)}>
                {n.text}
              </Banner>
            ))}
          </div>
          <main className="content">
            {route.page === "home" && <HomePage />}
            {route.page === "project" && (
              <ProjectPage key={route.projectId} projectId={route.projectId} conversationId={route.conversationId} />
            )}
            {route.page === "terminal" && (
              <Suspense fallback={null}>
                <TerminalPage />
              </Suspense>
            )}
            {route.page === "missing" && (
              <div className="empty-page">
                <h1>Nothing here</h1>
                <p>
                  There is no page at <code>{route.path}</code>. <Link to="/">Back to your projects</Link>
                </p>
              </div>
            )}
          </main>
        </div>
      </NoticeContext.Provider>
    </MeContext.Provider>
  );
}
