import { describe, expect, test } from "vitest";
import {
  MAX_TABS,
  activateAt,
  activateBy,
  activeTab,
  addTab,
  closePane,
  closeTab,
  emptyLayout,
  findSession,
  focusBy,
  focusPane,
  focusedPane,
  parseLayout,
  ratioAt,
  rename,
  replacePane,
  setRatio,
  setSession,
  split,
} from "./layout";

function ids() {
  let n = 0;
  return () => `id${++n}`;
}

describe("tabs and panes", () => {
  test("a new tab gets one pane and becomes active, numbered after the tabs before it", () => {
    const id = ids();
    let layout = addTab(emptyLayout(), id);
    layout = addTab(layout, id);
    expect(layout.tabs.map((t) => t.title)).toEqual(["Shell 1", "Shell 2"]);
    expect(activeTab(layout)?.id).toBe("id3");
    expect(focusedPane(layout)).toEqual({ id: "id4", sessionId: null });
  });

  test("there are at most ten tabs", () => {
    const id = ids();
    let layout = emptyLayout();
    for (let i = 0; i < 12; i++) layout = addTab(layout, id);
    expect(layout.tabs).toHaveLength(MAX_TABS);
  });

  test("a tab splits once into two panes, the new one focused, and closing one leaves the other", () => {
    const id = ids();
    let layout = addTab(emptyLayout(), id);
    const tab = layout.tabs[0].id;
    layout = split(layout, tab, id);
    expect(layout.tabs[0].panes.map((p) => p.id)).toEqual(["id2", "id3"]);
    expect(focusedPane(layout)?.id).toBe("id3");
    expect(split(layout, tab, id)).toBe(layout);
    layout = closePane(layout, tab, "id2");
    expect(layout.tabs[0].panes.map((p) => p.id)).toEqual(["id3"]);
    expect(focusedPane(layout)?.id).toBe("id3");
  });

  test("closing a tab's last pane closes the tab, and the neighbour becomes active", () => {
    const id = ids();
    let layout = addTab(addTab(addTab(emptyLayout(), id), id), id);
    layout = focusPane(layout, layout.tabs[1].panes[0].id);
    layout = closePane(layout, layout.tabs[1].id, layout.tabs[1].panes[0].id);
    expect(layout.tabs).toHaveLength(2);
    expect(activeTab(layout)?.title).toBe("Shell 3");
    layout = closeTab(layout, layout.tabs[1].id);
    layout = closeTab(layout, layout.tabs[0].id);
    expect(layout.active).toBeNull();
  });

  test("the divider stays between 15% and 85%", () => {
    const id = ids();
    let layout = split(addTab(emptyLayout(), id), "id1", id);
    expect(setRatio(layout, "id1", 0.01).tabs[0].ratio).toBe(0.15);
    expect(setRatio(layout, "id1", 2).tabs[0].ratio).toBe(0.85);
    layout = setRatio(layout, "id1", ratioAt(400, 100, 1000));
    expect(layout.tabs[0].ratio).toBeCloseTo(0.3);
  });

  test("focusing a pane of another tab activates that tab", () => {
    const id = ids();
    let layout = addTab(addTab(emptyLayout(), id), id);
    layout = focusPane(layout, "id2");
    expect(layout.active).toBe("id1");
  });

  test("a pane records its session, and a session is found where it is shown", () => {
    const id = ids();
    let layout = addTab(emptyLayout(), id);
    layout = setSession(layout, "id2", "s1");
    expect(findSession(layout, "s1")).toEqual({ tabId: "id1", paneId: "id2" });
    layout = replacePane(layout, "id2", id, "s2");
    expect(findSession(layout, "s1")).toBeNull();
    expect(layout.tabs[0].panes[0]).toEqual({ id: "id3", sessionId: "s2" });
  });

  test("a tab is renamed without control characters, and not to nothing", () => {
    const id = ids();
    const layout = addTab(emptyLayout(), id);
    expect(rename(layout, "id1", " build\u0007 ").tabs[0].title).toBe("build");
    expect(rename(layout, "id1", "   ")).toBe(layout);
  });
});

describe("moving between tabs and panes (the shortcuts)", () => {
  function threeTabs() {
    const id = ids();
    let layout = emptyLayout();
    for (let i = 0; i < 3; i++) layout = addTab(layout, id);
    return layout;
  }
  const titleOf = (layout: ReturnType<typeof emptyLayout>) => activeTab(layout)?.title;

  test("previous and next wrap around at either end", () => {
    const layout = threeTabs();
    expect(titleOf(layout)).toBe("Shell 3");
    expect(titleOf(activateBy(layout, 1))).toBe("Shell 1");
    expect(titleOf(activateBy(layout, -1))).toBe("Shell 2");
    expect(titleOf(activateBy(activateBy(layout, 1), -1))).toBe("Shell 3");
    expect(activateBy(emptyLayout(), 1)).toEqual(emptyLayout());
  });

  test("a jump goes to the tab at that place, and past the last tab changes nothing", () => {
    const layout = threeTabs();
    expect(titleOf(activateAt(layout, 0))).toBe("Shell 1");
    expect(activateAt(layout, 8)).toBe(layout);
  });

  test("the keyboard moves to the other pane of a split tab, and not past either edge", () => {
    const id = ids();
    let layout = addTab(emptyLayout(), id);
    const tab = activeTab(layout)!;
    expect(focusBy(layout, 1)).toBe(layout);
    layout = split(layout, tab.id, id);
    expect(activeTab(layout)!.focus).toBe(1);
    layout = focusBy(layout, -1);
    expect(activeTab(layout)!.focus).toBe(0);
    expect(focusBy(layout, -1)).toBe(layout);
    expect(activeTab(focusBy(layout, 1))!.focus).toBe(1);
  });
});

describe("the saved layout", () => {
  test("round-trips through JSON", () => {
    const id = ids();
    let layout = split(addTab(emptyLayout(), id), "id1", id);
    layout = setRatio(setSession(layout, "id2", "s1"), "id1", 0.3);
    expect(parseLayout(JSON.stringify(layout))).toEqual(layout);
  });

  test("drops what is malformed and keeps what is usable", () => {
    const saved = {
      tabs: [
        { id: "t1", title: "ok", panes: [{ id: "p1", sessionId: "s1" }], focus: 5, ratio: "x" },
        { id: "t2", panes: [] },
        { id: "t3", title: "dup", panes: [{ id: "p2", sessionId: "s1" }, { id: "p3", sessionId: null }, { id: "p4", sessionId: null }] },
        null,
      ],
      active: "gone",
      counter: 7,
    };
    const layout = parseLayout(JSON.stringify(saved));
    expect(layout.tabs.map((t) => t.id)).toEqual(["t1", "t3"]);
    expect(layout.tabs[0]).toEqual({ id: "t1", title: "ok", panes: [{ id: "p1", sessionId: "s1" }], focus: 0, ratio: 0.5 });
    // A session shows once per page; the second pane that claims it starts afresh.
    expect(layout.tabs[1].panes).toEqual([{ id: "p2", sessionId: null }, { id: "p3", sessionId: null }]);
    expect(layout.active).toBe("t1");
    expect(layout.counter).toBe(7);
    expect(parseLayout("{oops")).toEqual(emptyLayout());
    expect(parseLayout(null)).toEqual(emptyLayout());
  });
});
