// Files pasted or dropped onto a terminal go to POST /api/upload (multipart field "file"); the
// server answers with the absolute path it saved them at, which the pane types into the shell.

export const MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

export async function uploadFile(file: Blob, name: string, fetchFn: typeof fetch = fetch): Promise<string> {
  if (file.size > MAX_UPLOAD_BYTES) throw new Error(`${name} is larger than the upload limit of 32 MB`);
  const form = new FormData();
  form.append("file", file, name);
  let response: Response;
  try {
    response = await fetchFn("/api/upload", { method: "POST", body: form, credentials: "same-origin" });
  } catch {
    throw new Error("Mason cannot be reached");
  }
  const body = (await response.json().catch(() => null)) as { path?: unknown; error?: unknown } | null;
  if (!response.ok || typeof body?.path !== "string") {
    throw new Error(typeof body?.error === "string" ? body.error : `the upload failed with HTTP ${response.status}`);
  }
  return body.path;
}

/** A name for a pasted image, which has none: clipboard-<time>.<type>. */
export function pastedImageName(type: string, now: Date = new Date()): string {
  const extension = (type.split("/")[1] ?? "png").replace(/[^a-z0-9]/gi, "").slice(0, 5) || "png";
  const stamp = now.toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  return `clipboard-${stamp}.${extension}`;
}

/** A path as a shell word: unchanged when it is safe, else single-quoted. */
export function shellWord(path: string): string {
  return /^[A-Za-z0-9_@%+=:,./~-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
