import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_CONFIG_BYTES } from '../../src/registry/config-file.js';
import { discoverModules } from '../../src/registry/discover.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A tree with a good module "users" and, in `billing/`, what `make` puts there. */
async function treeWith(make: (billing: string) => Promise<void>) {
  const root = await tempDir();
  await mkdir(join(root, 'modules/users'), { recursive: true });
  await writeFile(
    join(root, 'modules/users/module.config.json'),
    JSON.stringify({ name: 'users', version: '1.0.0' }),
  );
  await mkdir(join(root, 'modules/billing'));
  await make(join(root, 'modules/billing'));
  return discoverModules({ root });
}

describe('a config that is not a readable file', () => {
  it.each([
    ['a directory', (dir: string) => mkdir(join(dir, 'module.config.json')), 'is a directory'],
    [
      'a FIFO, never opened for a blocking read',
      async (dir: string) => {
        execFileSync('mkfifo', [join(dir, 'module.config.json')]);
      },
      'is a named pipe (FIFO)',
    ],
    [
      'a FIFO with a script name, never imported',
      async (dir: string) => {
        execFileSync('mkfifo', [join(dir, 'module.config.mjs')]);
      },
      'is a named pipe (FIFO)',
    ],
    [
      'a link to /dev/zero, never read',
      (dir: string) => symlink('/dev/zero', join(dir, 'module.config.json')),
      'is a character device (through a symbolic link), not a file',
    ],
    [
      'a dangling link',
      (dir: string) => symlink('gone.json', join(dir, 'module.config.json')),
      'is a symbolic link to "gone.json", a file that does not exist',
    ],
    [
      'a link loop',
      (dir: string) => symlink('module.config.json', join(dir, 'module.config.json')),
      'a loop of symbolic links',
    ],
    [
      'larger than the limit',
      (dir: string) =>
        writeFile(
          join(dir, 'module.config.json'),
          `{"name":"billing","version":"1.0.0"}${' '.repeat(MAX_CONFIG_BYTES)}`,
        ),
      'a module config is read only up to 1 MiB',
    ],
  ])('is a problem when it is %s', async (_kind, make, message) => {
    const registry = await treeWith(make);
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
    expect(registry.problems).toEqual([
      {
        file: expect.stringMatching(/^modules\/billing\/module\.config\.m?js(on)?$/),
        pointer: '',
        message: expect.stringContaining(message),
      },
    ]);
  });

  it('reads a config through a link to a file', async () => {
    const registry = await treeWith(async (dir) => {
      await writeFile(
        join(dir, 'real.json'),
        JSON.stringify({ name: 'billing', version: '1.0.0' }),
      );
      await symlink('real.json', join(dir, 'module.config.json'));
    });
    expect(registry.problems).toEqual([]);
    expect(registry.modules.map((m) => m.name)).toEqual(['billing', 'users']);
  });
});
