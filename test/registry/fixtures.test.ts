import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverModules } from '../../src/registry/discover.js';
import { fixturesDir } from '../helpers/cli.js';

interface ExpectedProblem {
  file: string;
  pointer: string;
  includes?: string[];
}

interface Expected {
  problems: ExpectedProblem[];
  cycles?: string[][];
  warnings?: number;
}

const invalidDir = join(fixturesDir, 'invalid');
const cases = readdirSync(invalidDir).sort();

describe('fixtures/invalid: one tree per problem class', () => {
  it('has a case for every problem class', () => {
    expect(cases.length).toBeGreaterThanOrEqual(19);
  });

  it.each(cases)('%s reports exactly its problems', async (name) => {
    const root = join(invalidDir, name);
    const expected = JSON.parse(readFileSync(join(root, 'expected.json'), 'utf8')) as Expected;
    const registry = await discoverModules({ root, modulesDir: '.' });

    const found = registry.problems.map((p) => `${p.file}#${p.pointer}`).sort();
    expect(found).toEqual(expected.problems.map((p) => `${p.file}#${p.pointer}`).sort());
    for (const want of expected.problems) {
      const problem = registry.problems.find(
        (p) => p.file === want.file && p.pointer === want.pointer,
      );
      for (const text of want.includes ?? []) expect(problem?.message).toContain(text);
    }
    if (expected.cycles !== undefined) expect(registry.graph.cycles).toEqual(expected.cycles);
    if (expected.warnings !== undefined)
      expect(registry.graph.warnings).toHaveLength(expected.warnings);
  });

  it('keeps the valid siblings of a broken module', async () => {
    const registry = await discoverModules({
      root: join(invalidDir, 'parse-error'),
      modulesDir: '.',
    });
    expect(registry.modules.map((m) => m.name)).toEqual(['crm', 'users']);
    expect(registry.graph.order).toEqual(['users', 'crm']);
  });

  it('gives the line of a problem inside a JSON config', async () => {
    const registry = await discoverModules({
      root: join(invalidDir, 'parse-error'),
      modulesDir: '.',
    });
    expect(registry.problems[0]?.line).toBe(4);
    expect(registry.problems[0]?.message).toMatch(/line 4, column \d+/);
  });

  it('blocks a module whose config is invalid, and what requires it', async () => {
    const registry = await discoverModules({
      root: join(invalidDir, 'version-mismatch'),
      modulesDir: '.',
    });
    expect(registry.graph.blocked.map((b) => [b.module, b.cause])).toEqual([
      ['invoicing', 'unloadable'],
    ]);
    expect(registry.graph.order).toEqual(['users', 'billing']);
  });
});

describe('fixtures/saas: the example tree', () => {
  it('is valid and fully ordered', async () => {
    const registry = await discoverModules({ root: fixturesDir, modulesDir: 'saas' });
    expect(registry.problems).toEqual([]);
    expect(registry.graph.blocked).toEqual([]);
    expect(registry.modules).toHaveLength(16);
    expect(registry.graph.order).toHaveLength(16);
    const position = new Map(registry.graph.order.map((name, i) => [name, i]));
    for (const m of registry.modules) {
      for (const dep of [...Object.keys(m.dependencies), ...Object.keys(m.optionalDependencies)]) {
        expect(position.get(dep) ?? -1, `${dep} before ${m.name}`).toBeLessThan(
          position.get(m.name) ?? -1,
        );
      }
    }
    expect(registry.graph.order[0]).toBe('core');
  });

  it('records paths relative to the root, with entries inside their module', async () => {
    const registry = await discoverModules({ root: fixturesDir, modulesDir: 'saas' });
    const billing = registry.modules.find((m) => m.name === 'billing');
    expect(billing).toMatchObject({
      path: 'saas/billing',
      file: 'saas/billing/module.config.json',
      entry: 'saas/billing/index.js',
      dependencies: { users: '>=1.5.0 <2.0.0' },
    });
  });
});

describe('fixtures/js-config: executable configs', () => {
  it('reads .mjs and .cjs configs like JSON ones', async () => {
    const registry = await discoverModules({ root: fixturesDir, modulesDir: 'js-config' });
    expect(registry.problems).toEqual([]);
    expect(registry.graph.order).toEqual(['users', 'billing', 'reports']);
  });

  it('refuses them with jsonOnly, naming the fix', async () => {
    const registry = await discoverModules({
      root: fixturesDir,
      modulesDir: 'js-config',
      jsonOnly: true,
    });
    expect(registry.problems.map((p) => p.file)).toEqual([
      'js-config/billing/module.config.mjs',
      'js-config/reports/module.config.cjs',
    ]);
    expect(registry.problems[0]?.message).toContain('--json-only');
    expect(registry.problems[0]?.message).toContain('module.config.json');
    expect(registry.modules.map((m) => m.name)).toEqual(['users']);
  });
});
