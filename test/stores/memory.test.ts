import { createMemoryStore } from '../../src/stores/memory.js';
import type { Store } from '../../src/stores/types.js';
import { describeStoreConformance } from './conformance.js';

describeStoreConformance(
  'memory',
  async () => createMemoryStore(),
  // Another handle on the same memory: closing it leaves the first one working.
  async (store: Store) => ({ ...store, close: async () => {} }),
);
