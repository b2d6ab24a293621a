// The live bus: one stream per page of every change to the signed-in user's data (GET /api/events).
// It resumes after the last change delivered when it is cut, so no change is lost or repeated;
// each (re)connection that cannot resume (the first one) starts with `ready`, the moment to
// reload what the page shows, since changes made before it are not replayed.

import type { Change } from "../api/types";
import { followStream, type FollowState } from "./follow";

export interface BusOptions {
  onChange: (change: Change) => void;
  /** The stream is open and delivers every change from now on. */
  onReady?: () => void;
  onState?: (state: FollowState) => void;
}

export function busUrl(after: number | null): string {
  return after === null ? "/api/events" : `/api/events?after=${after}`;
}

export function followChanges(options: BusOptions): () => void {
  return followStream({
    url: busUrl,
    after: null,
    onState: options.onState,
    onFrames: (frames) => {
      for (const frame of frames) {
        if (frame.event === "ready") {
          options.onReady?.();
          continue;
        }
        try {
          const change = JSON.parse(frame.data) as Change;
          if (typeof change.type === "string" && typeof change.project_id === "string") options.onChange(change);
        } catch {
          // not a change this page can read: skipped
        }
      }
      return false;
    },
  });
}
