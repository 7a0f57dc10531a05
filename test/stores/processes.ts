import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openStore } from '../../src/stores/open-store.js';

const writerScript = fileURLToPath(new URL('./concurrent-writer.mjs', import.meta.url));

/**
 * Registers the race test: `processes` separate Node processes make `updates` changes each
 * on `tenants` overlapping tenants of the store at `location()`. Nothing may be lost, and
 * each tenant's revisions must run 1, 2, 3… without a gap or a repeat.
 */
export function itLosesNothingAcrossProcesses(
  location: () => Promise<string>,
  processes = 8,
  updates = 50,
  tenants = 4,
): void {
  it(`loses nothing with ${processes} processes making ${updates} changes each`, {
    timeout: 120_000,
  }, async () => {
    const where = await location();
    await Promise.all(
      Array.from({ length: processes }, (_, writer) => runWriter(where, writer, updates, tenants)),
    );
    const store = await openStore(where, { historyLimit: 10_000 });
    try {
      expect((await store.list()).tenants.sort()).toEqual(
        Array.from({ length: tenants }, (_, i) => `t${i}`),
      );
      let total = 0;
      for (let t = 0; t < tenants; t++) {
        const state = await store.read(`t${t}`);
        const count = state.flags.count as number;
        total += count;
        expect(state.revision).toBe(count);
        const revisions = (await store.history(`t${t}`, { limit: 10_000 })).map((h) => h.revision);
        expect(revisions).toEqual(Array.from({ length: count }, (_, i) => count - i));
      }
      expect(total).toBe(processes * updates);
      const perWriter = new Map<string, number>();
      for (let t = 0; t < tenants; t++) {
        for (const [key, value] of Object.entries((await store.read(`t${t}`)).flags)) {
          if (key.startsWith('w'))
            perWriter.set(key, (perWriter.get(key) ?? 0) + (value as number));
        }
      }
      expect([...perWriter.values()]).toEqual(Array.from({ length: processes }, () => updates));
    } finally {
      await store.close();
    }
  });
}

function runWriter(
  location: string,
  writer: number,
  updates: number,
  tenants: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [writerScript, location, String(writer), String(updates), String(tenants)],
      { timeout: 110_000 },
      (error, _stdout, stderr) =>
        error
          ? reject(new Error(`writer ${writer} failed: ${stderr || error.message}`))
          : resolve(),
    );
  });
}
