import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/cli.js';
import { loadedPackages } from '../helpers/loaded-packages.js';

describe('the modreg/fastify entry', () => {
  it('resolves through package.json exports to the build, with its types', async () => {
    const entry = await import('modreg/fastify');
    expect(Object.keys(entry).sort()).toEqual([
      'modregPlugin',
      'tenantFromHeader',
      'tenantFromSubdomain',
    ]);
    const { exports } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string }>;
    };
    const types = join(repoRoot, exports['./fastify']?.types ?? 'missing');
    expect(existsSync(types)).toBe(true);
  });

  it('loads fastify-plugin only: neither Fastify, ioredis nor Express; the core entry none of them', async () => {
    const loaded = await loadedPackages("await import('modreg/fastify');");
    expect(loaded).toContain('fastify-plugin');
    for (const name of ['fastify', 'find-my-way', 'ioredis', 'express']) {
      expect(loaded).not.toContain(name);
    }
    const core = await loadedPackages("await import('modreg');");
    for (const name of ['fastify', 'fastify-plugin', 'find-my-way']) {
      expect(core).not.toContain(name);
    }
  });
});
