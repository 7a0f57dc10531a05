import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules } from '../../src/registry/discover.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A tree with a good module "users" and a module in `billing/` written by `make`. */
async function discoverWith(make: (dir: string) => Promise<void>) {
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

const writeJson = (dir: string, text: string) => writeFile(join(dir, 'module.config.json'), text);
const writeScript = (dir: string, code: string) => writeFile(join(dir, 'module.config.mjs'), code);

describe('hostile configs are problems on their file, never a crash', () => {
  it('reports nesting deeper than the limit, with the line', async () => {
    const depth = 10_000;
    const deep = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const registry = await discoverWith((dir) =>
      writeJson(
        dir,
        `{\n"name": "billing",\n"version": "1.0.0",\n"flags": {\n"x": { "type": "json", "default": ${deep} } } }`,
      ),
    );
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
    expect(registry.problems).toEqual([
      {
        file: 'modules/billing/module.config.json',
        pointer: '',
        line: 5,
        message: expect.stringContaining('nested more than 64 levels deep at line 5'),
      },
    ]);
  });

  it.each([
    ['a NUL character', 'index\u0000.js', 'contains a NUL character'],
    ['a file used as a directory', 'index.js/x', 'a part of its path is a file, not a directory'],
    ['a symbolic link loop', 'loop.js', 'leads into a loop of symbolic links'],
    ['a name over 255 bytes', `${'n'.repeat(300)}.js`, 'is a path too long for the file system'],
  ])('reports an entry holding %s', async (_what, entry, message) => {
    const registry = await discoverWith(async (dir) => {
      await writeFile(join(dir, 'index.js'), 'export {};\n');
      await symlink('loop.js', join(dir, 'loop.js'));
      await writeJson(dir, JSON.stringify({ name: 'billing', version: '1.0.0', entry }));
    });
    // The walk reports the looping link itself too: a module directory could hide behind it.
    expect(registry.problems.filter((p) => p.file !== 'modules/billing/loop.js')).toEqual([
      expect.objectContaining({
        file: 'modules/billing/module.config.json',
        pointer: '/entry',
        message: expect.stringContaining(message),
      }),
    ]);
    expect(registry.graph.blocked.map((b) => b.module)).toEqual(['billing']);
  });

  it.each([
    [
      'a Proxy whose traps throw',
      'export default new Proxy({}, { ownKeys() { throw new Error("no keys"); } });',
      '',
      'failed: no keys',
    ],
    [
      'a throwing getter',
      'export default { name: "billing", get version() { throw new Error("boom"); } };',
      '/version',
      'failed at /version: boom',
    ],
    [
      'a revoked Proxy',
      'const p = Proxy.revocable({}, {}); p.revoke(); export default { name: "billing", flags: p.proxy };',
      '/flags',
      'Reading what',
    ],
    [
      'a cycle',
      'const c = { name: "billing", version: "1.0.0" }; c.routes = { self: c }; export default c;',
      '/routes/self',
      'a cycle',
    ],
    [
      'a function',
      'export default { name: "billing", version: () => "1.0.0" };',
      '/version',
      'exports a function at /version',
    ],
    ['a bigint', 'export default { name: "billing", version: 1n };', '/version', 'the bigint 1n'],
    [
      'a class instance',
      'export default { name: "billing", version: "1.0.0", models: [new Date(0)] };',
      '/models/0',
      'not a plain object',
    ],
    [
      'deep nesting',
      'let v = []; for (let i = 0; i < 100000; i++) v = [v]; export default { name: "billing", flags: v };',
      expect.stringMatching(/^\/flags(\/0)+$/),
      'nested more than 64 levels deep',
    ],
    [
      'a thrown value whose toString throws',
      'throw { toString() { throw new Error("no"); } };',
      '',
      'an error that cannot be shown',
    ],
  ])('reports a script config exporting %s', async (_what, code, pointer, message) => {
    const registry = await discoverWith((dir) => writeScript(dir, code));
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
    expect(registry.problems).toEqual([
      {
        file: 'modules/billing/module.config.mjs',
        pointer,
        message: expect.stringContaining(message),
      },
    ]);
  });

  it('keeps messages short for huge values, and lists at most 100 problems per file', async () => {
    const registry = await discoverWith((dir) =>
      writeJson(
        dir,
        JSON.stringify({
          name: `\u001b]0;pwned\u0007${'x'.repeat(200_000)}`,
          version: '1.0.0',
          dependencies: Array.from({ length: 20_000 }, (_, i) => `Bad${i}`),
          [`k${'y'.repeat(100_000)}`]: 1,
        }),
      ),
    );
    const problems = registry.problems.filter((p) => p.file.startsWith('modules/billing'));
    expect(problems).toHaveLength(101);
    expect(problems.at(-1)?.message).toMatch(/^\d+ more problems in modules\/billing/);
    for (const p of problems) {
      expect(p.message.length).toBeLessThan(600);
      expect(p.message).not.toContain('\u001b');
      expect(p.message).not.toContain('\u0007');
    }
  });
});
