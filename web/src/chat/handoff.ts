// A run started from the "new conversation" page belongs to a conversation that only exists once
// the server answers; the page then moves to that conversation's address. The handoff carries
// the run and the question across that move so nothing flickers or is fetched twice.

export interface Handoff {
  executionId: string;
  question: string;
}

const pending = new Map<string, Handoff>();

export function handOver(conversationId: string, handoff: Handoff): void {
  pending.set(conversationId, handoff);
}

export function takeOver(conversationId: string): Handoff | null {
  const handoff = pending.get(conversationId) ?? null;
  pending.delete(conversationId);
  return handoff;
}
