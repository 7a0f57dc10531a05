import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot } from './helpers/cli.js';
import { loadedPackages } from './helpers/loaded-packages.js';
import { tempDir } from './helpers/temp-dir.js';

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
      'createJsonFileStore',
      'createModreg',
      'createModuleConfigValidator',
      'createPlanningRegistry',
      'createSchemaValidator',
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
      'rollbackTarget',
      'toDot',
      'toMermaid',
      'toRegistryFile',
      'validateTenantId',
      'writeRegistryFile',
    ]);
    expect(existsSync(modreg.moduleConfigSchemaPath)).toBe(true);
  });

  it.each([
    ['modreg/express', ['createExpressMiddleware', 'tenantFromHeader', 'tenantFromSubdomain']],
    ['modreg/redis', ['createRedisStore']],
    ['modreg/testing', ['createMemoryStore', 'createTestModreg', 'createTestRegistry']],
    ['modreg/fastify', ['modregPlugin', 'tenantFromHeader', 'tenantFromSubdomain']],
    ['modreg/openfeature', ['MODULE_KEY_PREFIX', 'ModregProvider', 'createModregProvider']],
  ])('has the subpath entry %s, with its types', async (entry, names) => {
    const module = await import(entry);
    expect(Object.keys(module).sort()).toEqual(names);
    const exported = (
      JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
        exports: Record<string, { types: string }>;
      }
    ).exports[entry.replace('modreg', '.')];
    expect(existsSync(join(repoRoot, exported?.types ?? 'missing'))).toBe(true);
  });

  it.each([
    ['modreg', ['ioredis', 'express', 'fastify', '@openfeature/server-sdk']],
    ['modreg/express', ['ioredis', 'fastify', '@openfeature/server-sdk']],
    ['modreg/redis', ['express', 'fastify', '@openfeature/server-sdk']],
    ['modreg/testing', ['ioredis', 'express', 'fastify', '@openfeature/server-sdk']],
    ['modreg/fastify', ['ioredis', 'express', '@openfeature/server-sdk']],
    ['modreg/openfeature', ['ioredis', 'express', 'fastify']],
  ])('imports %s without loading %j', async (entry, others) => {
    const loaded = await loadedPackages(`await import(${JSON.stringify(entry)});`);
    for (const name of others) expect(loaded).not.toContain(name);
  });

  it('does not load ioredis until a Redis store is used, nor express until a middleware is made', async () => {
    const loaded = await loadedPackages(
      [
        "const { createModreg } = await import('modreg');",
        "const { createExpressMiddleware } = await import('modreg/express');",
        "const modreg = createModreg({ logger: false, registry: { modulesDir: 'fixtures/saas' } });",
        "createExpressMiddleware(modreg, { resolveTenant: () => 'a' });",
        'await modreg.ready();',
        'await modreg.close();',
      ].join('\n'),
    );
    expect(loaded).toContain('express');
    const bare = await loadedPackages(
      "const { createModreg } = await import('modreg'); const modreg = createModreg({ logger: false, registry: { modulesDir: 'fixtures/saas' } }); await modreg.synced(); await modreg.close();",
    );
    expect(bare).not.toContain('ioredis');
    expect(bare).not.toContain('express');
    const redis = await loadedPackages(
      "const { createRedisStore } = await import('modreg/redis'); await createRedisStore({ url: 'redis://127.0.0.1:1', connectTimeoutMs: 200 }).catch(() => {});",
    );
    expect(redis).toContain('ioredis');
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
