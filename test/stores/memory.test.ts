import { createMemoryStore } from '../../src/stores/memory.js';
import type { Store } from '../../src/stores/types.js';
import { describeStoreConformance } from './conformance.js';

describeStoreConformance({
  name: 'memory',
  open: async (options) => createMemoryStore(options),
  // Another handle on the same memory: closing it leaves the first one working.
  sibling: async (store: Store) => ({ ...store, close: async () => {} }),
});
