import { expect, test } from "vitest";
import { cliTracingLine, findTraceUrl, type MlflowStatus } from "./trace";

const on: MlflowStatus = { enabled: true, tracking_uri: "http://mlflow:5000", experiment_name: "/Users/ada@example.com/mason", info: null };

function server(answers: Record<string, unknown[]>) {
  const asked: string[] = [];
  return {
    asked,
    get: async <T,>(path: string): Promise<T> => {
      asked.push(path);
      const queue = answers[path];
      if (!queue || queue.length === 0) throw new Error(`unexpected ${path}`);
      return (queue.length > 1 ? queue.shift() : queue[0]) as T;
    },
  };
}

test("a finished run's trace URL is asked for until the server knows it", async () => {
  const url = "http://mlflow:5000/#/experiments/7/traces?selectedEvaluationId=tr-abc";
  const fake = server({ "/api/mlflow/status": [on], "/api/executions/e1": [{}, { trace_url: null }, { trace_url: url }] });
  const found = await findTraceUrl("e1", { get: fake.get, sleep: async () => {} });
  expect(found).toBe(url);
  expect(fake.asked.filter((p) => p === "/api/executions/e1")).toHaveLength(3);
});

test("with tracing off no execution is asked about and there is no link", async () => {
  const fake = server({ "/api/mlflow/status": [{ ...on, enabled: false }] });
  expect(await findTraceUrl("e1", { get: fake.get, sleep: async () => {} })).toBeNull();
  expect(fake.asked).toEqual(["/api/mlflow/status"]);
});

test("it gives up after its tries, and never links to what is not a web address", async () => {
  const fake = server({ "/api/mlflow/status": [on], "/api/executions/e2": [{ trace_url: "javascript:alert(1)" }] });
  expect(await findTraceUrl("e2", { get: fake.get, sleep: async () => {}, tries: 3 })).toBeNull();
  expect(fake.asked.filter((p) => p === "/api/executions/e2")).toHaveLength(3);
});

test("the terminal page says whether CLI sessions are traced, and where", () => {
  expect(cliTracingLine(on)).toMatchObject({ on: true, text: "CLI sessions are traced to MLflow, experiment /Users/ada@example.com/mason" });
  expect(cliTracingLine({ ...on, last_error: "HTTP 503" })?.title).toContain("HTTP 503");
  expect(cliTracingLine({ ...on, enabled: false, info: "tracing is off: MLFLOW_TRACKING_URI is not set" })).toMatchObject({
    on: false,
    text: "CLI sessions are not traced",
    title: "tracing is off: MLFLOW_TRACKING_URI is not set",
  });
  expect(cliTracingLine(null)).toBeNull();
});
