import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { fileNameOf } from '../src/stores/json-names.js';
import { tenantKeys } from '../src/stores/redis-keys.js';
import type { HistoryEntry } from '../src/tenant/types.js';
import { TENANT_MODULES } from './shop-registry.js';

/** The id of generated tenant `index`: `t000042`. */
export function tenantName(index: number): string {
  return `t${String(index).padStart(6, '0')}`;
}

/**
 * Writes generated tenants `from` … `to - 1` straight into the JSON store at `storeDir`, in
 * its documented format (schemas/state.schema.json): each at revision 1 with
 * {@link TENANT_MODULES} on and that change as its history. Synchronous writes, which for
 * many small files beat the thread pool, in batches that let a Ctrl-C through. Then flushes
 * them to disk, so the timed fsyncs do not pay for writing back what was just generated.
 */
export async function writeJsonTenants(storeDir: string, from: number, to: number) {
  const tenantsDir = join(storeDir, 'tenants');
  mkdirSync(tenantsDir, { recursive: true });
  for (let start = from; start < to; start += BATCH) {
    for (let i = start; i < Math.min(to, start + BATCH); i++) {
      const tenant = tenantName(i);
      const entry = firstEntry();
      const document = {
        format: 1,
        tenant,
        revision: 1,
        updatedAt: entry.at,
        modules: entry.after.modules,
        flags: {},
        history: [entry],
      };
      writeFileSync(join(tenantsDir, fileNameOf(tenant)), JSON.stringify(document));
    }
    await yieldToEvents();
  }
  flushToDisk();
}

/**
 * Writes the same tenants into the Redis store at `url` under `prefix`, with the key layout
 * of src/stores/redis-keys.ts: the state hash, the history list and the shard's tenant index,
 * sent in pipelines.
 */
export async function writeRedisTenants(url: string, prefix: string, from: number, to: number) {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  try {
    for (let start = from; start < to; start += BATCH) {
      const pipeline = client.pipeline();
      for (let i = start; i < Math.min(to, start + BATCH); i++) {
        const tenant = tenantName(i);
        const keys = tenantKeys(prefix, tenant);
        const entry = firstEntry();
        pipeline.hset(keys.state, {
          revision: '1',
          updatedAt: entry.at,
          modules: JSON.stringify(entry.after.modules),
          flags: '{}',
        });
        pipeline.lpush(keys.history, JSON.stringify(entry));
        pipeline.zadd(keys.index, 0, tenant);
      }
      const replies = (await pipeline.exec()) ?? [];
      const failed = replies.find(([error]) => error !== null);
      if (failed) throw new Error(`populating Redis failed: ${failed[0]?.message}`);
    }
  } finally {
    await client.quit();
  }
}

const BATCH = 2_000;

/** `sync`, where there is one: long-stored tenants are on disk, not in dirty pages. */
function flushToDisk(): void {
  try {
    execFileSync('sync', { stdio: 'ignore' });
  } catch {
    // No sync command (Windows): the figures then include some writeback.
  }
}
const CREATED_AT = '2024-01-01T00:00:00.000Z';

/** The change that gave a generated tenant its modules. */
function firstEntry(): HistoryEntry {
  return {
    revision: 1,
    at: CREATED_AT,
    actor: 'bench',
    operation: `enable ${TENANT_MODULES.join(' ')}`,
    before: { modules: [], flags: {} },
    after: { modules: [...TENANT_MODULES], flags: {} },
  };
}
