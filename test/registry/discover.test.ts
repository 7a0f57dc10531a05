import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules } from '../../src/registry/discover.js';
import { tempDir } from '../helpers/temp-dir.js';

async function writeModule(dir: string, config: Record<string, unknown>, files: string[] = []) {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'module.config.json'), JSON.stringify(config));
  for (const file of files) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), 'export {};\n');
  }
}

describe('discoverModules', () => {
  it('reads a config at the top of the modules directory', async () => {
    const root = await tempDir();
    await writeModule(root, { name: 'solo', version: '1.0.0', entry: 'index.js' }, ['index.js']);
    const registry = await discoverModules({ root, modulesDir: '.' });
    expect(registry.problems).toEqual([]);
    expect(registry.modules[0]).toMatchObject({
      path: '.',
      file: 'module.config.json',
      entry: 'index.js',
    });
  });

  it('normalises entries and accepts any path that stays inside the module', async () => {
    const root = await tempDir();
    await writeModule(
      join(root, 'modules/a'),
      { name: 'a', version: '1.0.0', entry: './src/../lib/main.js' },
      ['lib/main.js'],
    );
    const registry = await discoverModules({ root });
    expect(registry.problems).toEqual([]);
    expect(registry.modules[0]?.entry).toBe('modules/a/lib/main.js');
  });

  it.each(['.', '..', '../a-sibling/index.js', '/etc/passwd'])(
    'refuses the entry %j',
    async (entry) => {
      const root = await tempDir();
      await writeModule(join(root, 'modules/a'), { name: 'a', version: '1.0.0', entry });
      const registry = await discoverModules({ root });
      expect(registry.problems).toEqual([
        expect.objectContaining({
          pointer: '/entry',
          message: expect.stringContaining('points outside'),
        }),
      ]);
      expect(registry.graph.blocked).toEqual([
        expect.objectContaining({ module: 'a', cause: 'unloadable' }),
      ]);
    },
  );

  it('reports an entry that is a directory', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/a'), { name: 'a', version: '1.0.0', entry: 'lib' }, [
      'lib/x.js',
    ]);
    const registry = await discoverModules({ root });
    expect(registry.problems[0]?.message).toContain('entry "lib" is a directory');
  });

  it('finds nested modules and sees edits to script configs on a second scan', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/group/inner'), { name: 'inner', version: '1.0.0' });
    const script = join(root, 'modules/scripted/module.config.mjs');
    await mkdir(join(script, '..'));
    await writeFile(script, "export default { name: 'scripted', version: '1.0.0' };\n");
    const first = await discoverModules({ root });
    expect(first.modules.map((m) => [m.name, m.version])).toEqual([
      ['inner', '1.0.0'],
      ['scripted', '1.0.0'],
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await writeFile(script, "export default { name: 'scripted', version: '2.0.0' };\n");
    const second = await discoverModules({ root });
    expect(second.modules.find((m) => m.name === 'scripted')?.version).toBe('2.0.0');
  });

  it('accepts any semver range, prereleases included', async () => {
    const root = await tempDir();
    await writeModule(join(root, 'modules/base'), { name: 'base', version: '2.0.0-rc.1' });
    await writeModule(join(root, 'modules/app'), {
      name: 'app',
      version: '1.0.0',
      dependencies: { base: '>=2.0.0-0 <3' },
    });
    await writeModule(join(root, 'modules/old'), {
      name: 'old',
      version: '1.0.0',
      dependencies: { base: '1.x || ^2.0.0-rc.0' },
    });
    const registry = await discoverModules({ root });
    expect(registry.problems).toEqual([]);
    expect(registry.graph.order).toEqual(['base', 'app', 'old']);
  });
});
