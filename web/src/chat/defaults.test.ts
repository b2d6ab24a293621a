import { expect, test } from "vitest";
import { defaultSchema, defaultSettings, effectiveSettings } from "./defaults";

test("the default schema joins the email's local part and the project name, sanitised", () => {
  expect(defaultSchema("Jane.Doe@example.com", "Sales Lakehouse (v2)")).toBe("jane_doe_sales_lakehouse_v2");
  expect(defaultSchema("local", "--")).toBe("local");
});

test("the defaults follow the reference app's conventions", () => {
  expect(defaultSettings("jane@example.com", "Sales lakehouse")).toEqual({
    cluster_id: null,
    warehouse_id: null,
    default_catalog: "ai_dev_kit",
    default_schema: "jane_sales_lakehouse",
    workspace_folder: "/Workspace/Users/jane@example.com/ai_dev_kit/Sales_lakehouse",
    model: null,
    runtime: null,
  });
});

test("a chosen runtime is sent with the run; none means Mason's own agent", () => {
  const defaults = defaultSettings("jane@example.com", "p");
  expect(effectiveSettings({ runtime: "claude-code" }, defaults).runtime).toBe("claude-code");
  expect(effectiveSettings({}, defaults)).not.toHaveProperty("runtime");
});

test("chosen settings win over defaults, and unset ones are left out", () => {
  const defaults = defaultSettings("jane@example.com", "p");
  expect(effectiveSettings({ default_catalog: "main", warehouse_id: "w1", model: "" }, defaults)).toEqual({
    default_catalog: "main",
    default_schema: "jane_p",
    warehouse_id: "w1",
    workspace_folder: "/Workspace/Users/jane@example.com/ai_dev_kit/p",
  });
});
