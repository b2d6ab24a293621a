import { createContext, useCallback, useContext, useEffect, useRef, useState } from "react";
import { ApiFailure, api } from "./api/client";
import type { Me } from "./api/types";

export interface Loaded<T> {
  data: T | null;
  error: ApiFailure | Error | null;
  loading: boolean;
  reload: () => void;
  set: (value: T | ((old: T | null) => T | null)) => void;
}

/** GETs `path` (null: nothing), again when reload() is called or the path changes. */
export function useFetch<T>(path: string | null): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<ApiFailure | Error | null>(null);
  const [loading, setLoading] = useState(path !== null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    setLoading(true);
    api
      .get<T>(path, controller.signal)
      .then((value) => {
        setData(value);
        setError(null);
      })
      .catch((e: Error) => {
        if (e.name !== "AbortError") setError(e);
      })
      .finally(() => {
        if (!controller.signal.aborted) setLoading(false);
      });
    return () => controller.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload, set: setData as Loaded<T>["set"] };
}

export const MeContext = createContext<Me | null>(null);

export function useMe(): Me | null {
  return useContext(MeContext);
}

/** Error reports shown in the banner area; each has an id so it can be dismissed. */
export interface Notice {
  id: number;
  kind: "error" | "info";
  text: string;
}

export const NoticeContext = createContext<(kind: Notice["kind"], text: string) => void>(() => {});

export function useNotify() {
  return useContext(NoticeContext);
}

export function useLatest<T>(value: T) {
  const ref = useRef(value);
  ref.current = value;
  return ref;
}
