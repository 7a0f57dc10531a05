import { createServer, type Server, Socket } from 'node:net';

/**
 * A local TCP connection whose far end answers at once, for an answer that arrives while this
 * process is busy: ask, start the deadline, then block the event loop (a large synchronous
 * step). The far end writes the answer into the kernel synchronously, so it waits in the
 * socket long before the loop turns again, as a store's reply does when the process was busy.
 */
export interface BlockedAnswer {
  /** The far end sends `text` now; resolves when this end has read it. */
  ask(text: string): Promise<string>;
  close(): Promise<void>;
}

/** Keeps the event loop busy for `ms`, as a large synchronous step does. */
export function blockFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Busy: whatever arrives meanwhile waits in its socket's buffer.
  }
}

/** Opens the connection on a free local port. */
export async function createBlockedAnswer(): Promise<BlockedAnswer> {
  const server: Server = createServer();
  const accepted = new Promise<Socket>((resolve) => {
    server.once('connection', resolve);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no TCP address');
  const client = new Socket();
  await new Promise<void>((resolve) => client.connect(address.port, '127.0.0.1', resolve));
  const peer = await accepted;
  return {
    ask(text) {
      const answer = new Promise<string>((resolve) => {
        client.once('data', (data) => resolve(String(data)));
      });
      peer.write(text);
      return answer;
    },
    async close() {
      client.destroy();
      peer.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
