import { api } from './api.js';
import type { Modules } from './types.js';

/** GET /api/modules, read once and again after the registry changes. */
export interface RegistryCache {
  get(): Promise<Modules>;
  invalidate(): void;
}

export function createRegistryCache(): RegistryCache {
  let modules: Promise<Modules> | undefined;
  return {
    get() {
      modules ??= api<Modules>('api/modules').catch((error: unknown) => {
        modules = undefined;
        throw error;
      });
      return modules;
    },
    invalidate() {
      modules = undefined;
    },
  };
}
