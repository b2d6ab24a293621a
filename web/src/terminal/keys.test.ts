import { describe, expect, test } from "vitest";
import { keySequence, withControl } from "./keys";
import { pastedImageName, shellWord } from "./upload";
import { speechRecognition, transcript } from "./speech";

describe("extra keys", () => {
  test("arrows follow the cursor-key mode", () => {
    expect(keySequence("Up", false)).toBe("\x1b[A");
    expect(keySequence("Up", true)).toBe("\x1bOA");
    expect(keySequence("Esc", false)).toBe("\x1b");
    expect(keySequence("Tab", true)).toBe("\t");
  });

  test("Ctrl turns the next letter into its control character", () => {
    expect(withControl("c")).toBe("\x03");
    expect(withControl("D")).toBe("\x04");
    expect(withControl("[")).toBe("\x1b");
    expect(withControl("1")).toBe("1");
    expect(withControl("ab")).toBe("ab");
  });
});

describe("uploads", () => {
  test("a saved path is typed as one shell word", () => {
    expect(shellWord("/home/me/uploads/ab12_shot.png")).toBe("/home/me/uploads/ab12_shot.png");
    expect(shellWord("/tmp/it's here.png")).toBe("'/tmp/it'\\''s here.png'");
  });

  test("a pasted image is named by time and type", () => {
    expect(pastedImageName("image/png", new Date("2026-05-01T10:20:30.456Z"))).toBe("clipboard-20260501T102030.png");
    expect(pastedImageName("image/svg+xml", new Date(0))).toMatch(/\.svgxm$/);
  });
});

describe("dictation", () => {
  test("is offered only where the browser has speech recognition", () => {
    expect(speechRecognition({})).toBeNull();
    class Fake {}
    expect(speechRecognition({ webkitSpeechRecognition: Fake })).toBe(Fake);
  });

  test("the transcript is the final results, then what is being heard", () => {
    const results = [
      { isFinal: true, 0: { transcript: "list the " } },
      { isFinal: false, 0: { transcript: "files" } },
    ];
    expect(transcript({ resultIndex: 0, results })).toEqual({ final: "list the ", interim: "files" });
    expect(transcript({ resultIndex: 0, results }, 1)).toEqual({ final: "", interim: "files" });
  });
});
