// A stand-in for Mason's agent endpoints, for looking at the chat page before the agent engine
// is there: everything is forwarded to a real Mason (MASON_URL) except invoke_agent, the
// execution endpoints and stop_stream, which play a scripted run with real SSE framing.
// Finished runs are added to the conversation's stored messages, as Mason stores them.
//   node e2e/fake-runs.mjs [port]      (MASON_URL defaults to http://127.0.0.1:8000)

import http from "node:http";
import { randomUUID } from "node:crypto";

const mason = new URL(process.env.MASON_URL ?? "http://127.0.0.1:8000");
const port = Number(process.argv[2] ?? 8200);
const STEP_MS = Number(process.env.FAKE_STEP_MS ?? 120);

const executions = new Map(); // id -> { id, conversationId, projectId, status, events, listeners, question }
const stored = new Map(); // conversationId -> extra stored messages

function script(question) {
  const events = [];
  const add = (type, data) => events.push({ type, data });
  add("thinking_delta", { thinking: "The user asks: " });
  add("thinking_delta", { thinking: `“${question}”. I should look at the table first.` });
  add("thinking", { thinking: `The user asks: “${question}”. I should look at the table first.` });
  add("todos", { todos: [{ content: "Inspect the table", status: "in_progress" }, { content: "Summarise the result", status: "pending" }] });
  add("tool_use", { tool_id: "t1", tool_name: "mcp__databricks__execute_sql", tool_input: { sql_query: "SELECT region, count(*) AS n FROM sales GROUP BY region" } });
  add("tool_result", { tool_use_id: "t1", content: "| region | n |\n|---|---|\n| EMEA | 120 |\n| AMER | 98 |\n(2 rows)", is_error: false, duration_ms: 1340 });
  add("tool_use", { tool_id: "t2", tool_name: "Write", tool_input: { file_path: "report.md", content: "# Report\n" } });
  add("tool_result", { tool_use_id: "t2", content: "File written", is_error: false, duration_ms: 4 });
  add("todos", { todos: [{ content: "Inspect the table", status: "completed" }, { content: "Summarise the result", status: "in_progress" }] });
  add("usage", { input_tokens: 1830, output_tokens: 96, cache_read_input_tokens: 1200, cache_creation_input_tokens: 0, turn: 1 });
  const answer = "Here is what I found in **sales**:\n\n| region | rows |\n|---|---|\n| EMEA | 120 |\n| AMER | 98 |\n\nThe query:\n\n```sql\nSELECT region, count(*) AS n\nFROM sales\nGROUP BY region\n```\n\nEMEA has the most rows. I wrote the numbers to `report.md`.";
  for (const word of answer.match(/\S+\s*/g)) add("text_delta", { text: word });
  add("text", { text: answer });
  add("todos", { todos: [{ content: "Inspect the table", status: "completed" }, { content: "Summarise the result", status: "completed" }] });
  add("usage", { input_tokens: 2100, output_tokens: 180, cache_read_input_tokens: 1800, cache_creation_input_tokens: 0, turn: 2 });
  add("result", { status: "completed", is_error: false, duration_ms: 5200, num_turns: 2 });
  return { events, answer };
}

function storedMessages(question, answer, cancelled) {
  const now = new Date().toISOString();
  return [
    { id: randomUUID(), role: "user", content: [{ type: "text", text: question }], created_at: now, is_error: false, cancelled: false, usage: null },
    { id: randomUUID(), role: "assistant", content: [
      { type: "thinking", thinking: "I should look at the table first.", signature: "x" },
      { type: "tool_use", id: "t1", name: "mcp__databricks__execute_sql", input: { sql_query: "SELECT region, count(*) AS n FROM sales GROUP BY region" } },
    ], created_at: now, is_error: false, cancelled: false, usage: { input_tokens: 1830, output_tokens: 96 } },
    { id: randomUUID(), role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: "(2 rows)", is_error: false }], created_at: now, is_error: false, cancelled: false, usage: null },
    { id: randomUUID(), role: "assistant", content: [{ type: "text", text: cancelled ? "(stopped)" : answer }], created_at: now, is_error: false, cancelled, usage: { input_tokens: 2100, output_tokens: 180 } },
  ];
}

function startRun(projectId, conversationId, question, created) {
  const id = randomUUID();
  const { events: planned, answer } = script(question);
  const run = { id, projectId, conversationId, status: "running", events: [], listeners: new Set(), created_at: new Date().toISOString() };
  executions.set(id, run);
  const emit = (type, data) => {
    const event = { seq: run.events.length + 1, type, data };
    run.events.push(event);
    for (const l of run.listeners) l(event);
  };
  emit("conversation.created", { conversation_id: conversationId, created, execution_id: id });
  let i = 0;
  const finish = (status) => {
    clearInterval(timer);
    run.status = status;
    stored.set(conversationId, [...(stored.get(conversationId) ?? []), ...storedMessages(question, answer, status === "cancelled")]);
    if (status === "cancelled") emit("cancelled", {});
    emit("done", { status });
  };
  const timer = setInterval(() => {
    if (run.stop) return finish("cancelled");
    if (i >= planned.length) return finish("completed");
    emit(planned[i].type, planned[i].data);
    i++;
  }, STEP_MS);
  return run;
}

function view(run) {
  return { id: run.id, conversation_id: run.conversationId, project_id: run.projectId, status: run.status, model: "fake", error: null, created_at: run.created_at, updated_at: run.created_at };
}

function json(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

function readBody(req) {
  return new Promise((resolve) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => resolve(body));
  });
}

function forward(req, res, body, transform) {
  const upstream = http.request(
    { hostname: mason.hostname, port: mason.port, path: req.url, method: req.method, headers: { ...req.headers, host: mason.host, "accept-encoding": "identity" } },
    (up) => {
      if (!transform) {
        res.writeHead(up.statusCode, up.headers);
        up.pipe(res);
        return;
      }
      let text = "";
      up.on("data", (c) => (text += c));
      up.on("end", () => {
        const headers = { ...up.headers };
        delete headers["content-length"];
        res.writeHead(up.statusCode, headers);
        res.end(up.statusCode === 200 ? JSON.stringify(transform(JSON.parse(text))) : text);
      });
    },
  );
  upstream.on("error", (e) => json(res, 502, { error: `Mason is not reachable: ${e.message}` }));
  upstream.end(body);
}

function masonJson(method, path, body) {
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname: mason.hostname, port: mason.port, path, method, headers: { "Content-Type": "application/json" } }, (up) => {
      let text = "";
      up.on("data", (c) => (text += c));
      up.on("end", () => (up.statusCode < 300 ? resolve(JSON.parse(text)) : reject(new Error(text))));
    });
    req.on("error", reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, "http://x");
    const path = url.pathname;
    let m;
    if (req.method === "POST" && path === "/api/invoke_agent") {
      const body = JSON.parse((await readBody(req)) || "{}");
      if (!body.message) return json(res, 400, { error: "message is required", field: "message" });
      if (body.message.includes("no model")) {
        return json(res, 400, { error: "No model is configured: set ANTHROPIC_MODEL (or DATABRICKS_HOST for the workspace's endpoints).", field: "model" });
      }
      let cid = body.conversation_id;
      const created = !cid;
      if (!cid) cid = (await masonJson("POST", `/api/projects/${body.project_id}/conversations`, { title: body.message.slice(0, 40) })).id;
      if ([...executions.values()].some((r) => r.conversationId === cid && r.status === "running")) {
        return json(res, 409, { error: "this conversation is already running" });
      }
      const run = startRun(body.project_id, cid, body.message, created);
      return json(res, 202, { execution_id: run.id, conversation_id: cid });
    }
    if ((m = path.match(/^\/api\/executions\/([^/]+)\/events$/))) {
      const run = executions.get(m[1]);
      if (!run) return json(res, 404, { error: "execution not found" });
      const after = Number(url.searchParams.get("after") ?? req.headers["last-event-id"] ?? 0);
      res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" });
      res.write(": connected\n\n");
      const send = (e) => {
        res.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
        if (e.type === "done") res.end();
      };
      for (const e of run.events) if (e.seq > after) send(e);
      if (run.events.some((e) => e.type === "done")) return;
      run.listeners.add(send);
      req.on("close", () => run.listeners.delete(send));
      return;
    }
    if ((m = path.match(/^\/api\/executions\/([^/]+)$/))) {
      const run = executions.get(m[1]);
      return run ? json(res, 200, view(run)) : json(res, 404, { error: "execution not found" });
    }
    if (req.method === "POST" && (m = path.match(/^\/api\/stop_stream\/([^/]+)$/))) {
      const run = executions.get(m[1]);
      if (!run) return json(res, 404, { error: "execution not found" });
      run.stop = true;
      return json(res, 200, { success: true });
    }
    if ((m = path.match(/^\/api\/projects\/([^/]+)\/conversations\/([^/]+)\/executions$/))) {
      const runs = [...executions.values()].filter((r) => r.conversationId === m[2]);
      const active = runs.find((r) => r.status === "running");
      return json(res, 200, { active: active ? view(active) : null, recent: runs.map(view).slice(-5) });
    }
    if (path === "/api/warehouses") {
      return json(res, 200, [
        { warehouse_id: "w-serverless", warehouse_name: "Serverless Starter", state: "RUNNING", cluster_size: "Small", creator_name: "admin", is_serverless: true },
        { warehouse_id: "w-classic", warehouse_name: "Reporting", state: "STOPPED", cluster_size: "Medium", creator_name: "ops", is_serverless: false },
      ]);
    }
    if (req.method === "GET" && (m = path.match(/^\/api\/projects\/([^/]+)\/conversations\/([^/]+)$/))) {
      const extra = stored.get(m[2]) ?? [];
      return forward(req, res, undefined, (conversation) => ({
        ...conversation,
        messages: [...(conversation.messages ?? []), ...extra],
        message_count: (conversation.message_count ?? 0) + extra.length,
      }));
    }
    const body = req.method === "GET" || req.method === "HEAD" ? undefined : await readBody(req);
    forward(req, res, body);
  })
  .listen(port, "127.0.0.1", () => console.log(`fake runs on http://127.0.0.1:${port} -> ${mason.href}`));
