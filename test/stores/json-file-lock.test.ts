import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import type { LockWait } from '../../src/stores/tenant-lock.js';
import { repoRoot } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { counter } from './conformance.js';

/**
 * A process that takes the lock at `lockPath` as a store does, sets its time 1 s ahead (as
 * proper-lockfile's first lock may), and waits to be killed.
 */
const holderScript = `
const { utimesSync } = require('node:fs');
const lockfile = require('proper-lockfile');
const [lockPath] = process.argv.slice(1);
lockfile.lock(lockPath, { realpath: false, lockfilePath: lockPath, stale: 10000 }).then(() => {
  const ahead = new Date(Date.now() + 1000);
  utimesSync(lockPath, ahead, ahead);
  process.stdout.write('locked');
  setInterval(() => {}, 1000);
});`;

async function startHolder(lockPath: string): Promise<ChildProcess> {
  const holder = spawn(process.execPath, ['-e', holderScript, lockPath], { cwd: repoRoot });
  onTestFinished(() => void holder.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    holder.stdout?.on('data', () => resolve());
    holder.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  return holder;
}

describe('json store: the tenant lock', () => {
  it('outlasts the lock of a holder killed with SIGKILL, its time set ahead', {
    timeout: 40_000,
  }, async () => {
    const path = join(await tempDir(), 'state');
    const store = await createJsonFileStore({ path });
    try {
      await store.update('acme', counter());
      const holder = await startHolder(join(path, 'locks', 'acme.lock'));
      holder.kill('SIGKILL');
      await new Promise((resolve) => holder.once('exit', resolve));
      const result = await store.update('acme', counter());
      expect(result.state.revision).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('tells once that it waits for a lock, naming the tenant and the lock', async () => {
    const path = join(await tempDir(), 'state');
    const waits: LockWait[] = [];
    const store = await createJsonFileStore({
      path,
      lockTimeoutMs: 2_500,
      onLockWait: (wait) => void waits.push(wait),
    });
    try {
      const lockPath = join(path, 'locks', 'acme.lock');
      await mkdir(lockPath, { recursive: true });
      await expect(store.update('acme', counter())).rejects.toMatchObject({
        code: 'environment',
        message: expect.stringContaining('waiting for the lock of tenant "acme"'),
      });
      expect(waits).toHaveLength(1);
      expect(waits[0]).toMatchObject({ tenant: 'acme', lockPath, timeoutMs: 2_500 });
      expect(waits[0]?.waitedMs).toBeGreaterThanOrEqual(1_000);
      expect(Math.abs((waits[0]?.renewedAt?.getTime() ?? 0) - Date.now())).toBeLessThan(10_000);
    } finally {
      await store.close();
    }
  });

  it('says nothing about a lock it got at once', async () => {
    const path = join(await tempDir(), 'state');
    const waits: LockWait[] = [];
    const store = await createJsonFileStore({ path, onLockWait: (wait) => void waits.push(wait) });
    try {
      await store.update('acme', counter());
      expect(waits).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
