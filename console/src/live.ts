import { headers } from './api.js';
import { createSseParser, type ServerEvent } from './sse-parser.js';

/** How long to wait before reading the stream again after it ends or fails. */
const RECONNECT_MS = 2000;

/** The state of the event stream, shown in the header. */
export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Reads GET /api/events with fetch() and a streamed body — EventSource cannot send the token
 * in a header — and hands each event to `onEvent`; reconnects until `stop()`. A 401 ends it
 * (the console asks for a token again).
 */
export function openLive(
  onEvent: (event: ServerEvent) => void,
  onState: (state: LiveState) => void,
): { stop(): void } {
  const controller = new AbortController();
  let stopped = false;
  let connected = false;
  const run = async () => {
    while (!stopped) {
      onState('connecting');
      try {
        const response = await fetch('api/events', {
          headers: { ...headers(), Accept: 'text/event-stream' },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status === 401) {
          onEvent({ event: 'unauthorized', data: '' });
          return;
        }
        if (!response.ok || response.body === null) throw new Error(`status ${response.status}`);
        onState('live');
        // Events missed while away: read everything again.
        if (connected) onEvent({ event: 'reset', data: '{"reason":"reconnected"}' });
        connected = true;
        const feed = createSseParser(onEvent);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          feed(value);
        }
      } catch {
        if (stopped) return;
      }
      onState('offline');
      await new Promise((done) => setTimeout(done, RECONNECT_MS));
    }
  };
  void run();
  return {
    stop() {
      stopped = true;
      controller.abort();
    },
  };
}
