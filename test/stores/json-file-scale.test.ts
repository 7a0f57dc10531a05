import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileNameOf } from '../../src/stores/json-names.js';
import { tempDir } from '../helpers/temp-dir.js';

const readManyScript = fileURLToPath(new URL('./json-read-many.mjs', import.meta.url));

/** A store of `count` tenants t0, t1, … at revision 1, written directly. */
async function storeOf(count: number): Promise<string> {
  const path = join(await tempDir(), 'state');
  await mkdir(join(path, 'tenants'), { recursive: true });
  for (let i = 0; i < count; i++) {
    const document = {
      format: 1,
      tenant: `t${i}`,
      revision: 1,
      updatedAt: '2026-01-01T00:00:00.000Z',
      modules: ['users'],
      flags: {},
      history: [],
    };
    await writeFile(join(path, 'tenants', fileNameOf(`t${i}`)), JSON.stringify(document));
  }
  return path;
}

describe('json store: scale', () => {
  it.skipIf(process.platform === 'win32')(
    'reads 2,000 tenants at once within a limit of 64 open files',
    async () => {
      const path = await storeOf(2_000);
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          'sh',
          ['-c', 'ulimit -n 64 && exec "$0" "$@"', process.execPath, readManyScript, path, '2000'],
          (error, stdout, stderr) =>
            error ? reject(new Error(stderr || error.message)) : resolve(stdout),
        ),
      );
      expect(output).toBe('2000');
    },
  );
});
