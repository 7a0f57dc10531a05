import { onTestFinished } from 'vitest';
import { expectSecurityHeaders, WRITE_TOKEN } from './admin-server.js';
import { checkResponse } from './openapi-check.js';

/** One Server-Sent Event as received. */
export interface ReceivedEvent {
  event: string;
  data: unknown;
}

/** An open `GET /api/events` stream. */
export interface EventStream {
  /** Resolves with the first event (from the start of the stream) that `match` accepts. */
  next(match: (event: ReceivedEvent) => boolean, timeoutMs?: number): Promise<ReceivedEvent>;
  /** Every event and comment line so far. */
  events: ReceivedEvent[];
  comments: string[];
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/**
 * Opens the event stream with a bearer token in the header (as the console does, with fetch:
 * EventSource cannot send one); resolves once the server has answered, so the stream is
 * listening before the caller makes a change.
 */
export async function openEvents(base: string, token = WRITE_TOKEN): Promise<EventStream> {
  const abort = new AbortController();
  const response = await fetch(new URL('/api/events', base), {
    headers: { authorization: `Bearer ${token}` },
    signal: abort.signal,
  });
  expectSecurityHeaders(response.headers);
  checkResponse({
    method: 'GET',
    path: '/api/events',
    status: response.status,
    headers: response.headers,
    body: undefined,
  });
  if (response.status !== 200 || response.body === null)
    throw new Error(`events answered ${response.status}`);
  const events: ReceivedEvent[] = [];
  const comments: string[] = [];
  const waiters = new Set<() => void>();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const ended = (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          parseFrame(buffer.slice(0, end), events, comments);
          buffer = buffer.slice(end + 2);
          end = buffer.indexOf('\n\n');
        }
        for (const wake of waiters) wake();
      }
    } catch {
      // aborted by close()
    }
  })();
  onTestFinished(() => abort.abort());
  return {
    events,
    comments,
    ended,
    close: () => abort.abort(),
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found === undefined) return;
          cleanup();
          resolve(found);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(events)}`),
          );
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
  };
}

function parseFrame(frame: string, events: ReceivedEvent[], comments: string[]): void {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split('\n')) {
    if (line.startsWith(':')) comments.push(line.slice(1).trim());
    else if (line.startsWith('event: ')) event = line.slice(7);
    else if (line.startsWith('data: ')) data.push(line.slice(6));
  }
  if (data.length > 0) events.push({ event, data: JSON.parse(data.join('\n')) });
}
