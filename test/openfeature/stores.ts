import { ModregError } from '../../src/errors.js';
import { createMemoryStore, type MemoryStoreOptions } from '../../src/stores/memory.js';
import type { Store } from '../../src/stores/types.js';

/** A memory store whose `list` — what a start waits for — waits until `open()`. */
export function createGatedStore(options: MemoryStoreOptions = {}): { store: Store; open(): void } {
  const memory = createMemoryStore(options);
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    store: { ...memory, list: async (page) => gate.then(() => memory.list(page)) },
    open: () => open(),
  };
}

/**
 * A store that answers every listing with a failure no retry mends (an `invalid` error: it
 * holds something modreg cannot use), so an instance over it never starts.
 */
export function createRefusingStore(): Store {
  const memory = createMemoryStore();
  return {
    ...memory,
    list: async () => {
      throw new ModregError(
        'invalid',
        'This store holds the data of another application; point modreg at its own store.',
      );
    },
  };
}
