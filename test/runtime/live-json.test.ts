import { rm, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createModreg } from '../../src/runtime/create-modreg.js';
import { createJsonFileStore } from '../../src/stores/json-file.js';
import type { UpdateRequest } from '../../src/stores/types.js';
import { createTestRegistry } from '../../src/testing.js';
import { tempDir } from '../helpers/temp-dir.js';

const registry = createTestRegistry([
  { name: 'users' },
  { name: 'billing', dependencies: ['users'] },
]);

const set = (modules: string[], revisionFloor?: number): UpdateRequest => ({
  apply: () => ({ modules, flags: {} }),
  actor: 'elsewhere',
  operation: 'test',
  ...(revisionFloor === undefined ? {} : { revisionFloor }),
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 1500): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function setUp() {
  const path = join(await tempDir(), 'state');
  const writer = await createJsonFileStore({ path });
  onTestFinished(() => writer.close());
  const modreg = createModreg({ registry, store: path, cacheTtlMs: 3_600_000, logger: false });
  onTestFinished(() => modreg.close());
  await modreg.ready();
  return { path, writer, modreg };
}

describe('runtime on the JSON store: live state', () => {
  it('serves a tenant reset by deleting its file within a second, not after the TTL', async () => {
    const { path, writer, modreg } = await setUp();
    await modreg.snapshot('acme');
    await writer.update('acme', set(['users', 'billing']));
    await waitFor(() => modreg.peek('acme')?.revision === 1, 'revision 1');
    await unlink(join(path, 'tenants', 'acme.json'));
    await waitFor(() => modreg.peek('acme')?.revision === 0, 'the reset tenant');
    expect(modreg.peek('acme')?.isModuleEnabled('billing')).toBe(false);
  });

  it('follows a store directory removed and imported again, at the continued revision', async () => {
    const { path, modreg } = await setUp();
    const first = await createJsonFileStore({ path });
    await modreg.snapshot('acme');
    await first.update('acme', set(['users']));
    await first.update('acme', set(['users', 'billing']));
    await first.close();
    await waitFor(() => modreg.peek('acme')?.revision === 2, 'revision 2');
    await rm(path, { recursive: true });
    const again = await createJsonFileStore({ path });
    onTestFinished(() => again.close());
    await again.update('acme', set(['users'], 2));
    await waitFor(() => modreg.peek('acme')?.revision === 3, 'the import at revision 3', 3000);
    expect(modreg.peek('acme')?.modules).toEqual(['users']);
    await waitFor(() => modreg.health().status === 'ok', 'health ok');
  });
});
