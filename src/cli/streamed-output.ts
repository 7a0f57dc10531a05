import type { OutputStream } from './context.js';

/** Writes every chunk to `stream` as it comes, waiting whenever its buffer is full. */
export async function writeStreamed(
  stream: OutputStream,
  chunks: AsyncIterable<string>,
): Promise<void> {
  for await (const chunk of chunks) {
    if (stream.write(chunk) === false) await stream.drained?.();
  }
}
