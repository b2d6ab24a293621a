import { describe, expect, test } from "vitest";
import { SseParser, toRunEvent } from "./sse";

describe("the SSE parser", () => {
  test("parses id, event and data, and ignores keepalive comments", () => {
    const frames = new SseParser().push(': keepalive\n\nid: 7\nevent: text_delta\ndata: {"text":"hi"}\n\n');
    expect(frames).toEqual([{ id: "7", event: "text_delta", data: '{"text":"hi"}' }]);
    expect(toRunEvent(frames[0])).toEqual({ seq: 7, type: "text_delta", data: { text: "hi" } });
  });

  test("a frame split anywhere, even between CR and LF, comes out whole", () => {
    const wire = 'id: 1\r\nevent: text\r\ndata: {"text":"a\\nb"}\r\n\r\nid: 2\r\nevent: done\r\ndata: {}\r\n\r\n';
    for (let cut = 1; cut < wire.length; cut++) {
      const parser = new SseParser();
      const frames = [...parser.push(wire.slice(0, cut)), ...parser.push(wire.slice(cut))];
      expect(frames.map((f) => f.id), `cut at ${cut}`).toEqual(["1", "2"]);
      expect(frames[0].data).toBe('{"text":"a\\nb"}');
    }
  });

  test("multi-line data is joined with newlines", () => {
    expect(new SseParser().push("id: 3\nevent: x\ndata: a\ndata: b\n\n")[0].data).toBe("a\nb");
  });

  test("a frame without an id or with bad JSON is not an event", () => {
    expect(toRunEvent({ id: null, event: "text", data: "{}" })).toBeNull();
    expect(toRunEvent({ id: "4", event: "text", data: "{" })).toBeNull();
  });
});
