/** `modreg/testing`: in-memory instances and registries for a server's own tests. */

export {
  createTestModreg,
  createTestRegistry,
  type TestModregOptions,
  type TestModule,
  type TestModuleConfig,
} from './runtime/testing.js';
export { createMemoryStore, type MemoryStoreOptions } from './stores/memory.js';
