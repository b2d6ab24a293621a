// The poll worker: runs a Poller off the page's thread (see poller.ts). Commands come in as
// messages; events go back as messages.

import { Poller, type PollCommand } from "./poller";

const scope = self as unknown as { postMessage(message: unknown): void; onmessage: ((e: MessageEvent<PollCommand>) => void) | null };
const poller = new Poller(fetch.bind(self), (event) => scope.postMessage(event));
scope.onmessage = (e) => poller.handle(e.data);
