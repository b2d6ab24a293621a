import { describe, expect, test } from "vitest";
import { PaneStore, resumePlan, type KeyValueStore } from "./paneStore";

class MapStore implements KeyValueStore {
  readonly map = new Map<string, string>();
  quota = Infinity;
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    const used = [...this.map.entries()].filter(([k]) => k !== key).reduce((n, [, v]) => n + v.length, 0);
    if (used + value.length > this.quota) throw new DOMException("full", "QuotaExceededError");
    this.map.set(key, value);
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
}

describe("what a tab remembers of its panes", () => {
  test("a reload finds the pane's session, base and written offset again", () => {
    const storage = new MapStore();
    new PaneStore(storage).saveRecord("p1", { sessionId: "s1", base: 0, written: 1234 });
    expect(new PaneStore(storage).record("p1")).toEqual({ sessionId: "s1", base: 0, written: 1234 });
  });

  test("a malformed record is ignored rather than trusted", () => {
    const storage = new MapStore();
    storage.setItem("mason.terminal.pane.p1", JSON.stringify({ sessionId: "s1", base: 10, written: 5 }));
    storage.setItem("mason.terminal.pane.p2", "{not json");
    const store = new PaneStore(storage);
    expect(store.record("p1")).toBeNull();
    expect(store.record("p2")).toBeNull();
  });

  test("the reader id stays the same across reloads and is renewed on demand", () => {
    const storage = new MapStore();
    let n = 0;
    const store = new PaneStore(storage, () => `r${++n}`);
    const first = store.readerId();
    expect(first).toBe("tab-r1");
    expect(new PaneStore(storage).readerId()).toBe(first);
    expect(store.renewReaderId()).toBe("tab-r2");
    expect(new PaneStore(storage).readerId()).toBe("tab-r2");
  });

  test("a snapshot that does not fit removes the old one, so no stale screen is restored", () => {
    const storage = new MapStore();
    const store = new PaneStore(storage);
    expect(store.saveSnapshot("p1", { sessionId: "s1", offset: 10, data: "old" })).toBe(true);
    storage.quota = 50;
    expect(store.saveSnapshot("p1", { sessionId: "s1", offset: 20, data: "x".repeat(100) })).toBe(false);
    expect(store.snapshot("p1")).toBeNull();
  });

  test("forgetting a pane removes its record and its screen", () => {
    const storage = new MapStore();
    const store = new PaneStore(storage);
    store.saveRecord("p1", { sessionId: "s1", base: 0, written: 1 });
    store.saveSnapshot("p1", { sessionId: "s1", offset: 1, data: "x" });
    store.forget("p1");
    expect(storage.map.size).toBe(0);
  });
});

describe("where a pane resumes", () => {
  const record = { sessionId: "s1", base: 100, written: 900 };

  test("with a saved screen, exactly after it", () => {
    expect(resumePlan("s1", record, { sessionId: "s1", offset: 900, data: "SCREEN" })).toEqual({ screen: "SCREEN", from: 900, base: 100, replay: false });
  });

  test("with an older screen, after that screen: the rest is replayed once", () => {
    expect(resumePlan("s1", record, { sessionId: "s1", offset: 400, data: "S" }).from).toBe(400);
  });

  test("without a screen, by replaying from where the view began into an empty one", () => {
    expect(resumePlan("s1", record, null)).toEqual({ screen: null, from: 100, base: 100, replay: true });
  });

  test("a screen of another session, or past what was written, is not used", () => {
    expect(resumePlan("s1", record, { sessionId: "s2", offset: 900, data: "S" }).screen).toBeNull();
    expect(resumePlan("s1", record, { sessionId: "s1", offset: 901, data: "S" }).screen).toBeNull();
  });

  test("a pane that never showed the session starts a new view", () => {
    expect(resumePlan("s9", record, null)).toEqual({ screen: null, from: 0, base: 0, replay: true });
  });
});
