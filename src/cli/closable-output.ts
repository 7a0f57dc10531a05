import type { OutputStream } from './context.js';

/** What the CLI needs of a process stream: writes, errors, and draining. */
export interface ProcessStream {
  write(text: string): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  isTTY?: boolean;
}

/**
 * Thrown by a write to stdout once the reader has gone (`modreg status | head -1`): the
 * command stops there, and `main` ends quietly instead of reporting it.
 */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
  constructor() {
    super('The output was closed by its reader.');
  }
}

/**
 * `stream` as an {@link OutputStream} that survives its reader going away. A pipe closed
 * early fails writes with EPIPE, reported as an `error` event on the stream — which, with no
 * listener, kills the process with a stack trace. Here the event only marks the stream
 * closed; later writes then throw {@link OutputClosedError} (`throwWhenClosed`, for stdout:
 * there is no point working on) or are dropped (stderr: reporting must never fail).
 */
export function closableOutput(stream: ProcessStream, throwWhenClosed: boolean): OutputStream {
  let closed = false;
  const waiting = new Set<() => void>();
  stream.on('error', () => {
    closed = true;
    for (const wake of waiting) wake();
    waiting.clear();
  });
  return {
    write(text) {
      if (closed) {
        if (throwWhenClosed) throw new OutputClosedError();
        return true;
      }
      return stream.write(text);
    },
    drained() {
      if (closed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiting.add(resolve);
        stream.once('drain', () => {
          waiting.delete(resolve);
          resolve();
        });
      });
    },
    ...(stream.isTTY === undefined ? {} : { isTTY: stream.isTTY }),
  };
}
