import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules } from '../../src/registry/discover.js';
import { toRegistryFile, writeRegistryFile } from '../../src/registry/registry-file.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { isRoot, runAsNobody } from './as-nobody.js';

async function registryOf(root: string) {
  await mkdir(join(root, 'modules/users'), { recursive: true });
  await writeFile(
    join(root, 'modules/users/module.config.json'),
    JSON.stringify({ name: 'users', version: '1.0.0' }),
  );
  return toRegistryFile(await discoverModules({ root }), root, '.modreg/registry.json', new Date());
}

/** The failure `promise` ends with: its code and message. */
const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => ({ code: 'none', message: '' }),
    (error: { code: string; message: string }) => ({ code: error.code, message: error.message }),
  );

describe('writing the registry file', () => {
  it('creates the missing directories', async () => {
    const root = await tempDir();
    const file = join(root, 'a/b/c/registry.json');
    await writeRegistryFile(file, await registryOf(root));
    expect(JSON.parse(await readFile(file, 'utf8')).order).toEqual(['users']);
  });

  it.runIf(existsSync('/proc/self'))(
    'fails at once, naming the directory, where the file system refuses it',
    async () => {
      const root = await tempDir();
      const failure = await failureOf(
        writeRegistryFile('/proc/nope/reg.json', await registryOf(root)),
      );
      expect(failure.code).toBe('environment');
      expect(failure.message).toBe(
        'Cannot write the registry file /proc/nope/reg.json: the directory /proc/nope cannot be created (the file system does not allow creating it there). Choose another path with --registry.',
      );
    },
  );

  it('says when a part of the path is a file', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'taken'), '');
    const failure = await failureOf(
      writeRegistryFile(join(root, 'taken/dir/reg.json'), await registryOf(root)),
    );
    expect(failure.code).toBe('environment');
    expect(failure.message).toContain('a part of the path is a file, not a directory');
  });

  it('tells content that cannot be serialised from an unwritable directory', async () => {
    const root = await tempDir();
    const content = await registryOf(root);
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    content.warnings = [{ module: 'users', message: 'x', deep } as never];
    const failure = await failureOf(writeRegistryFile(join(root, 'reg.json'), content));
    expect(failure.code).toBe('invalid');
    expect(failure.message).toContain('cannot be turned into JSON (Maximum call stack size');
    expect(failure.message).not.toContain('writable');
    expect(existsSync(join(root, 'reg.json'))).toBe(false);
  });

  // Root writes through any mode bits: then discover runs as "nobody".
  it(`says permission denied, with exit 3${isRoot ? ' (as nobody)' : ''}`, async () => {
    const root = await tempDir();
    await registryOf(root);
    await mkdir(join(root, 'locked'), { mode: 0o555 });
    await chmod(join(root, 'locked'), 0o555);
    const args = ['discover', '--registry', 'locked/reg.json'];
    const run = isRoot ? await runAsNobody(root, args) : await runCli(args, { cwd: root });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('locked/reg.json');
    expect(run.stderr).toContain('(permission denied). Make the directory writable by this user');
  });

  it.runIf(existsSync('/proc/self'))(
    'discover --registry under /proc exits 3 at once',
    async () => {
      const root = await tempDir();
      await registryOf(root);
      const run = await runCli(['discover', '--registry', '/proc/nope/reg.json'], { cwd: root });
      expect(run.code).toBe(3);
      expect(run.stderr).toContain('the directory /proc/nope cannot be created');
    },
  );
});
