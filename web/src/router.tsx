// A tiny history router: three kinds of page, so no routing library is needed.

import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from "react";

export type Route =
  | { page: "home" }
  | { page: "project"; projectId: string; conversationId: string | null }
  | { page: "terminal" }
  | { page: "missing"; path: string };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: "home" };
  if (parts[0] === "terminal" && parts.length === 1) return { page: "terminal" };
  if (parts[0] === "projects" && parts.length === 2) return { page: "project", projectId: parts[1], conversationId: null };
  if (parts[0] === "projects" && parts.length === 4 && parts[2] === "conversations") {
    return { page: "project", projectId: parts[1], conversationId: parts[3] };
  }
  return { page: "missing", path };
}

export function projectPath(projectId: string, conversationId?: string | null): string {
  const base = `/projects/${encodeURIComponent(projectId)}`;
  return conversationId ? `${base}/conversations/${encodeURIComponent(conversationId)}` : base;
}

const listeners = new Set<() => void>();

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname) return;
  if (options.replace) window.history.replaceState(null, "", path);
  else window.history.pushState(null, "", path);
  listeners.forEach((l) => l());
}

export function useRoute(): Route {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener("popstate", update);
    return () => {
      listeners.delete(update);
      window.removeEventListener("popstate", update);
    };
  }, []);
  return parseRoute(path);
}

export function Link({ to, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={click} {...rest} />;
}
