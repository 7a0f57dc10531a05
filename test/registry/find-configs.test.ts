import { chmod, mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules } from '../../src/registry/discover.js';
import type { Registry } from '../../src/registry/types.js';
import { tempDir } from '../helpers/temp-dir.js';
import { isRoot, runAsNobody } from './as-nobody.js';

async function writeModule(dir: string, name: string) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'module.config.json'), JSON.stringify({ name, version: '1.0.0' }));
}

describe('finding module configs', () => {
  it('reports symbolic link loops instead of following them forever', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'm/a'), 'a');
    await mkdir(join(root, 'm/a/b'));
    await symlink('..', join(root, 'm/a/b/up'));
    await symlink('.', join(root, 'm/a/b/self'));
    const registry = await discoverModules({ root, modulesDir: 'm' });
    expect(registry.modules.map((m) => m.file)).toEqual(['m/a/module.config.json']);
    expect(registry.problems.map((p) => [p.file, p.pointer])).toEqual([
      ['m/a/b/self', ''],
      ['m/a/b/up', ''],
    ]);
    expect(registry.problems[1]?.message).toContain('is the directory "m/a" again');
    expect(registry.problems[1]?.message).toContain('--ignore');
  });

  it('follows a link to a module directory elsewhere, and reports a second way in', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'packages/billing'), 'billing');
    await writeModule(join(root, 'modules/users'), 'users');
    await symlink('../packages/billing', join(root, 'modules/billing'));
    // Sorted before "users", but links are followed after the plain directories.
    await symlink('users', join(root, 'modules/0-users'));
    const registry = await discoverModules({ root });
    expect(registry.modules.map((m) => m.file)).toEqual([
      'modules/billing/module.config.json',
      'modules/users/module.config.json',
    ]);
    expect(registry.problems.map((p) => p.file)).toEqual(['modules/0-users']);
    expect(registry.problems[0]?.message).toContain('"modules/users" again');
  });

  it('reports a link that cannot be followed', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/users'), 'users');
    await symlink('../gone', join(root, 'modules/billing'));
    const registry = await discoverModules({ root });
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
    expect(registry.problems).toEqual([
      expect.objectContaining({
        file: 'modules/billing',
        message: expect.stringContaining('symbolic link that cannot be followed (ENOENT'),
      }),
    ]);
  });

  it('finds a module whose directory name holds a line break', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/bill\ning'), 'billing');
    const registry = await discoverModules({ root });
    expect(registry.problems).toEqual([]);
    expect(registry.modules.map((m) => m.file)).toEqual(['modules/bill\ning/module.config.json']);
  });

  it('skips ignored globs, node_modules and dot directories', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/users'), 'users');
    await writeModule(join(root, 'modules/legacy/old'), 'old');
    await writeModule(join(root, 'modules/users/node_modules/dep'), 'dep');
    await writeModule(join(root, 'modules/.cache/copy'), 'copy');
    const registry = await discoverModules({ root, ignore: ['legacy/**', ''] });
    expect(registry.problems).toEqual([]);
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
  });

  // Root reads a directory of mode 000 all the same: then the scan runs as "nobody".
  it(`reports an unreadable subdirectory and scans the rest${isRoot ? ' (as nobody)' : ''}`, async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/users'), 'users');
    await writeModule(join(root, 'modules/secret/inner'), 'inner');
    await chmod(join(root, 'modules/secret'), 0o000);
    const registry = isRoot ? await discoverAsNobody(root) : await discoverModules({ root });
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
    expect(registry.problems).toEqual([
      {
        file: 'modules/secret',
        pointer: '',
        message: expect.stringMatching(/^Directory "modules\/secret" cannot be read \(EACCES/),
      },
    ]);
  });

  it('says what happened when the modules directory itself cannot be read', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'modules'), { mode: 0o000 });
    const run = isRoot
      ? await runAsNobody(root, ['validate'])
      : await discoverModules({ root }).then(
          () => ({ code: 0, stderr: '' }),
          (error: Error) => ({ code: 3, stderr: error.message }),
        );
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Modules directory "modules" cannot be read: EACCES');
    expect(run.stderr).toContain('Make it readable by this user');
    expect(run.stderr).not.toContain('Create it');
  });
});

/** `modreg discover --json`, run by the unprivileged user "nobody" (it writes nothing here). */
async function discoverAsNobody(root: string): Promise<Pick<Registry, 'modules' | 'problems'>> {
  const run = await runAsNobody(root, ['discover', '--json']);
  return JSON.parse(run.stdout) as Pick<Registry, 'modules' | 'problems'>;
}
