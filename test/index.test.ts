import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot } from './helpers/cli.js';
import { tempDir } from './helpers/temp-dir.js';

const run = promisify(execFile);

describe('the package entry', () => {
  it('resolves through package.json exports to the build, with the library surface', async () => {
    const modreg = await import('modreg');
    expect(Object.keys(modreg).sort()).toEqual([
      'DEFAULT_HISTORY_LIMIT',
      'MAX_FLAG_VALUE_BYTES',
      'ModregError',
      'REGISTRY_FORMAT',
      'TENANT_ID_PATTERN',
      'TENANT_ID_RULE',
      'buildDependencyGraph',
      'createExpressMiddleware',
      'createJsonFileStore',
      'createMemoryStore',
      'createModreg',
      'createModuleConfigValidator',
      'createPlanningRegistry',
      'createRedisStore',
      'createSchemaValidator',
      'createTestModreg',
      'createTestRegistry',
      'discoverModules',
      'enabledModules',
      'flagValues',
      'isModregError',
      'isTenantId',
      'modregConfigSchemaPath',
      'moduleConfigSchemaPath',
      'openStore',
      'parseFlagInput',
      'planDisable',
      'planEnable',
      'planFlags',
      'planRollback',
      'readModuleConfigSchema',
      'readRegistryFile',
      'tenantFromHeader',
      'tenantFromSubdomain',
      'toDot',
      'toMermaid',
      'toRegistryFile',
      'validateTenantId',
      'writeRegistryFile',
    ]);
    expect(existsSync(modreg.moduleConfigSchemaPath)).toBe(true);
  });

  it('does not load ioredis until a Redis store is used', async () => {
    const script = [
      "import { createRequire } from 'node:module';",
      "const modreg = await import('modreg');",
      "const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((p) => p.includes('ioredis'));",
      'const before = loaded();',
      "await modreg.createRedisStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 }).catch(() => {});",
      'console.log(JSON.stringify([before, loaded()]));',
    ].join('\n');
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      cwd: repoRoot,
    });
    expect(JSON.parse(stdout)).toEqual([false, true]);
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
