import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir } from './helpers/cli.js';
import { tempDir } from './helpers/temp-dir.js';

describe('the package entry', () => {
  it('resolves through package.json exports to the build, with the library surface', async () => {
    const modreg = await import('modreg');
    expect(Object.keys(modreg).sort()).toEqual([
      'ModregError',
      'REGISTRY_FORMAT',
      'buildDependencyGraph',
      'createModuleConfigValidator',
      'createSchemaValidator',
      'discoverModules',
      'isModregError',
      'modregConfigSchemaPath',
      'moduleConfigSchemaPath',
      'readModuleConfigSchema',
      'readRegistryFile',
      'toDot',
      'toMermaid',
      'toRegistryFile',
      'writeRegistryFile',
    ]);
    expect(existsSync(modreg.moduleConfigSchemaPath)).toBe(true);
  });

  it('discovers, writes and reads back a registry', async () => {
    const modreg = await import('modreg');
    const registry = await modreg.discoverModules({ root: fixturesDir, modulesDir: 'saas' });
    const file = join(await tempDir(), '.modreg', 'registry.json');
    await modreg.writeRegistryFile(
      file,
      modreg.toRegistryFile(registry, fixturesDir, file, new Date(0)),
    );
    const read = await modreg.readRegistryFile(file);
    expect(read.generatedAt).toBe('1970-01-01T00:00:00.000Z');
    expect(read.order).toEqual(registry.graph.order);
    expect(read.modules).toEqual(registry.modules);
  });

  it('reports a missing or foreign registry file as a ModregError', async () => {
    const modreg = await import('modreg');
    const dir = await tempDir();
    await expect(modreg.readRegistryFile(join(dir, 'none.json'))).rejects.toMatchObject({
      code: 'environment',
      message: expect.stringContaining('Run "modreg discover"'),
    });
    const other = join(dir, 'other.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(other, '{"hello": 1}'));
    await expect(modreg.readRegistryFile(other)).rejects.toSatisfy(modreg.isModregError);
  });
});
