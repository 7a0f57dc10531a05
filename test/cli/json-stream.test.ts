import { describe, expect, it } from 'vitest';
import { streamedJson } from '../../src/cli/json-stream.js';

async function text(chunks: AsyncIterable<string>): Promise<string> {
  let all = '';
  for await (const chunk of chunks) all += chunk;
  return all;
}

async function* batches(...lists: unknown[][]) {
  yield* lists;
}

describe('streamedJson', () => {
  it.each([
    [{}, [], {}],
    [{ format: 1, store: 'json x' }, [[{ a: 1 }, { b: [1, 2] }], [], [{ c: { d: null } }]], {}],
    [{}, [[1, 'two']], { next: 'abc', unreadable: [{ tenant: 't' }] }],
    [{ format: 2 }, [[], []], { next: 'x' }],
  ])('writes what JSON.stringify writes: %j %j %j', async (head, lists, tail) => {
    const streamed = await text(streamedJson(head, 'tenants', batches(...lists), () => tail));
    const whole = { ...head, tenants: lists.flat(), ...tail };
    expect(streamed).toBe(`${JSON.stringify(whole, null, 2)}\n`);
  });

  it('writes nothing when the first batch fails', async () => {
    const chunks: string[] = [];
    const failing = (): AsyncIterable<unknown[]> => ({
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('unreadable')) }),
    });
    await expect(
      (async () => {
        for await (const chunk of streamedJson({ format: 1 }, 'tenants', failing()))
          chunks.push(chunk);
      })(),
    ).rejects.toThrow('unreadable');
    expect(chunks).toEqual([]);
  });
});
