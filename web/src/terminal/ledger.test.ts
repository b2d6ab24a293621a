import { describe, expect, test } from "vitest";
import { OutputLedger, incompleteTail } from "./ledger";

const bytes = (text: string) => new TextEncoder().encode(text);

describe("the UTF-8 tail", () => {
  test("counts the bytes of a character that is not complete yet", () => {
    const euro = bytes("€"); // E2 82 AC
    expect(incompleteTail(bytes("abc"))).toBe(0);
    expect(incompleteTail(euro)).toBe(0);
    expect(incompleteTail(euro.slice(0, 1))).toBe(1);
    expect(incompleteTail(euro.slice(0, 2))).toBe(2);
    expect(incompleteTail(bytes("🙂").slice(0, 3))).toBe(3);
    expect(incompleteTail(new Uint8Array())).toBe(0);
  });
});

describe("a pane's output ledger", () => {
  test("a character split across frames is decoded whole, and received stops before its first half", () => {
    const ledger = new OutputLedger(0, 0);
    ledger.begin(100);
    const all = bytes("prix: 5€ net");
    const cut = all.indexOf(0xe2) + 1; // inside the euro sign
    expect(ledger.bytes(all.slice(0, cut))).toBe("prix: 5");
    expect(ledger.position).toBe(100 + cut);
    expect(ledger.received).toBe(100 + cut - 1);
    expect(ledger.bytes(all.slice(cut))).toBe("€ net");
    expect(ledger.received).toBe(100 + all.length);
  });

  test("a transport that takes over starts after the last whole character, and the half one is read again", () => {
    const ledger = new OutputLedger(0, 0);
    ledger.begin(0);
    const all = bytes("ab€");
    ledger.bytes(all.slice(0, 3)); // "ab" and the euro's first byte
    ledger.resetDecoder();
    expect(ledger.position).toBe(2);
    expect(ledger.received).toBe(2);
    // The next transport resends from 2: the character comes out whole.
    expect(ledger.bytes(all.slice(2))).toBe("€");
  });

  test("a gap moves the ledger past the dropped bytes and gives a marker line, once", () => {
    const ledger = new OutputLedger(0, 10);
    expect(ledger.received).toBe(10);
    const marker = ledger.gap(10, 5_000);
    expect(marker).toContain("5 KiB of output were dropped");
    expect(ledger.received).toBe(5_000);
    expect(ledger.gap(10, 5_000)).toBeNull(); // a repeated or stale notice
  });

  test("written only moves forward", () => {
    const ledger = new OutputLedger(0, 0);
    expect(ledger.markWritten(10)).toBe(true);
    expect(ledger.markWritten(5)).toBe(false);
    expect(ledger.written).toBe(10);
  });

  test("polled text moves the ledger to the answer's next offset", () => {
    const ledger = new OutputLedger(0, 0);
    ledger.text(42);
    expect(ledger.received).toBe(42);
    expect(ledger.base).toBe(0);
  });
});
