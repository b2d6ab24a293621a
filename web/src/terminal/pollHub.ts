// The page's side of polling: panes watch and unwatch their sessions; events from the Poller
// reach a pane only while the watch they belong to is the pane's current one.

import { Poller, type PollCommand, type PollEvent } from "./poller";

export type PollListener = (event: PollEvent) => void;

export interface PollHub {
  /** Polls `sessionId` from `offset` for `paneId`, replacing any earlier watch of that pane. */
  watch(paneId: string, sessionId: string, offset: number, readerId: string, listener: PollListener): void;
  unwatch(paneId: string): void;
  /** Input was sent: poll soon for its echo. */
  poke(): void;
  setHidden(hidden: boolean): void;
  watching(paneId: string): boolean;
  /** Stops polling for good (the page is gone). */
  dispose(): void;
}

export class TokenPollHub implements PollHub {
  private readonly listeners = new Map<string, { token: number; listener: PollListener; command: PollCommand }>();
  private nextToken = 1;
  private hidden = false;

  constructor(
    private send: (command: PollCommand) => void,
    private stop: () => void = () => {},
  ) {}

  dispose(): void {
    for (const paneId of [...this.listeners.keys()]) this.unwatch(paneId);
    this.stop();
  }

  watch(paneId: string, sessionId: string, offset: number, readerId: string, listener: PollListener): void {
    const token = this.nextToken++;
    const command: PollCommand = { type: "watch", paneId, token, sessionId, offset, readerId };
    this.listeners.set(paneId, { token, listener, command });
    this.send(command);
  }

  /**
   * Hands polling to another Poller (the worker failed to start): the current watches start over
   * there from where they began. Answers the old one already delivered moved the panes on, and a
   * pane ignores answers that do not start where it stands, so nothing shows twice.
   */
  moveTo(send: (command: PollCommand) => void): void {
    this.send = send;
    send({ type: "hidden", hidden: this.hidden });
    for (const entry of this.listeners.values()) send(entry.command);
  }

  unwatch(paneId: string): void {
    if (this.listeners.delete(paneId)) this.send({ type: "unwatch", paneId });
  }

  poke(): void {
    if (this.listeners.size > 0) this.send({ type: "poke" });
  }

  setHidden(hidden: boolean): void {
    this.hidden = hidden;
    this.send({ type: "hidden", hidden });
  }

  watching(paneId: string): boolean {
    return this.listeners.has(paneId);
  }

  /** An event from the Poller. */
  receive(event: PollEvent): void {
    const entry = this.listeners.get(event.paneId);
    if (!entry || entry.token !== event.token) return;
    if (event.kind === "gone" || event.kind === "denied" || (event.kind === "output" && event.answer.exited)) {
      this.listeners.delete(event.paneId); // the Poller has dropped this watch
    }
    entry.listener(event);
  }
}

/** Polls in the page itself: for tests, and where a worker cannot start. */
export function inlinePollHub(fetchFn: typeof fetch): TokenPollHub {
  let poller: Poller | null = null;
  const hub: TokenPollHub = new TokenPollHub((command) => poller!.handle(command));
  poller = new Poller(fetchFn, (event) => hub.receive(event));
  return hub;
}

/** Polls in a Web Worker, falling back to the page when the browser refuses to start one. */
export function browserPollHub(): TokenPollHub {
  try {
    const worker = new Worker(new URL("./poll.worker.ts", import.meta.url), { type: "module", name: "mason-terminal-poll" });
    const hub = new TokenPollHub(
      (command) => worker.postMessage(command),
      () => worker.terminate(),
    );
    worker.onmessage = (e: MessageEvent<PollEvent>) => hub.receive(e.data);
    worker.onerror = () => {
      worker.terminate();
      const poller = new Poller(fetch.bind(window), (event) => hub.receive(event));
      hub.moveTo((command) => poller.handle(command));
    };
    return hub;
  } catch {
    return inlinePollHub(fetch.bind(window));
  }
}
