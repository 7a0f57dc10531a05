import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Modreg } from '../runtime/modreg.js';
import type { Health, ModregEvents } from '../runtime/types.js';

/** The Server-Sent Events every `GET /api/events` stream gets. */
export interface EventHub {
  /** Starts a stream on `res` (headers sent at once) until the client goes or `close()`. */
  open(req: IncomingMessage, res: ServerResponse): void;
  /** Streams open now. */
  readonly size: number;
  /** Ends every stream, stops the heartbeat, and refuses new streams. */
  close(): void;
  readonly closed: boolean;
}

/** Options of {@link createEventHub}. */
export interface EventHubOptions {
  /** How often each stream gets a comment line, so proxies and clients see it alive. */
  heartbeatMs: number;
  /** Headers every response carries (the security headers). */
  prepare(res: ServerResponse): void;
}

/** A stream whose client reads slower than this many buffered bytes is ended (it reconnects). */
const MAX_BUFFERED_BYTES = 1 << 20;

/** Tenants whose last announced revision is remembered, to drop repeated announcements. */
const REMEMBERED_TENANTS = 10_000;

/**
 * One set of listeners on the instance for all streams: `change` `{ tenant, revision }` for
 * every commit the store announces (whoever made it: this API, the CLI, another instance),
 * `reset` `{ reason }` when the store cannot say what changed (read everything again),
 * `registry` (modules added, removed, changed) and `health` `{ status, reason? }`. The
 * listeners are on only while a stream is open.
 */
export function createEventHub(modreg: Modreg, options: EventHubOptions): EventHub {
  const streams = new Set<ServerResponse>();
  const announced = new Map<string, number>();
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;

  const send = (event: string, data: unknown) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of streams) write(res, frame);
  };
  const write = (res: ServerResponse, frame: string) => {
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      streams.delete(res);
      return;
    }
    res.write(frame);
  };
  const onCommit = ({ tenant, revision }: ModregEvents['commit']) => {
    // The store may announce one commit more than once.
    if (announced.get(tenant) === revision) return;
    announced.delete(tenant);
    announced.set(tenant, revision);
    if (announced.size > REMEMBERED_TENANTS)
      announced.delete(announced.keys().next().value as string);
    send('change', { tenant, revision });
  };
  const onReset = ({ reason }: ModregEvents['reset']) => {
    announced.clear();
    send('reset', { reason });
  };
  const onRegistry = (event: ModregEvents['registry']) => send('registry', event);
  const onHealth = ({ status, reason }: Health) =>
    send('health', reason === undefined ? { status } : { status, reason });

  const listen = (on: boolean) => {
    if (on) {
      modreg.on('commit', onCommit);
      modreg.on('reset', onReset);
      modreg.on('registry', onRegistry);
      modreg.on('health', onHealth);
      heartbeat = setInterval(() => {
        for (const res of streams) write(res, ': heartbeat\n\n');
      }, options.heartbeatMs);
      heartbeat.unref();
    } else {
      modreg.off('commit', onCommit);
      modreg.off('reset', onReset);
      modreg.off('registry', onRegistry);
      modreg.off('health', onHealth);
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  };
  const drop = (res: ServerResponse) => {
    if (!streams.delete(res)) return;
    if (streams.size === 0) listen(false);
  };

  return {
    open(req, res) {
      if (req.method === 'HEAD') {
        options.prepare(res);
        res.writeHead(200, {
          'Content-Type': 'text/event-stream; charset=utf-8',
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
      if (streams.size === 0) listen(true);
      streams.add(res);
      options.prepare(res);
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
      });
      res.write(`retry: 2000\n: connected\n\n`);
      req.socket.setNoDelay(true);
      req.socket.setTimeout(0);
      const gone = () => drop(res);
      req.once('close', gone);
      res.once('close', gone);
    },
    get size() {
      return streams.size;
    },
    close() {
      closed = true;
      for (const res of [...streams]) {
        drop(res);
        res.end();
      }
    },
    get closed() {
      return closed;
    },
  };
}
