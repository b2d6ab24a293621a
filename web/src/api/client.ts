// A thin fetch wrapper: JSON in and out, server errors turned into ApiFailure with the
// server's own message. Identity is the server's business (proxy headers or the local user):
// the page never sees a token.

export class ApiFailure extends Error {
  readonly status: number;
  readonly field: string | null;

  constructor(status: number, message: string, field: string | null = null) {
    super(message);
    this.name = "ApiFailure";
    this.status = status;
    this.field = field;
  }

  /** True when the server does not offer this endpoint (yet): callers degrade quietly. */
  get missing(): boolean {
    return this.status === 404 || this.status === 501;
  }
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      credentials: "same-origin",
    });
  } catch (e) {
    if ((e as Error).name === "AbortError") throw e;
    throw new ApiFailure(0, "Mason cannot be reached; check that it is running.");
  }
  const text = await response.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!response.ok) {
    const err = data as { error?: unknown; field?: unknown } | null;
    const message = typeof err?.error === "string" ? err.error : `${method} ${path} failed with HTTP ${response.status}`;
    throw new ApiFailure(response.status, message, typeof err?.field === "string" ? err.field : null);
  }
  return data as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>("GET", path, undefined, signal),
  post: <T>(path: string, body?: unknown) => request<T>("POST", path, body ?? {}),
  put: <T>(path: string, body: unknown) => request<T>("PUT", path, body),
  patch: <T>(path: string, body: unknown) => request<T>("PATCH", path, body),
  delete: <T>(path: string) => request<T>("DELETE", path),
};

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export const enc = encodeURIComponent;
