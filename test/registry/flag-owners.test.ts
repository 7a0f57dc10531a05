import { describe, expect, it } from 'vitest';
import type { CheckedModule } from '../../src/registry/checks.js';
import { flagOwnerProblems } from '../../src/registry/flag-owners.js';
import { toModuleRecord } from '../../src/registry/normalize.js';

function declaring(name: string, ...keys: string[]): CheckedModule {
  const config = {
    name,
    version: '1.0.0',
    flags: Object.fromEntries(keys.map((k) => [k, { type: 'boolean' }])),
  };
  return { config, record: toModuleRecord(config, name, `${name}/module.config.json`) };
}

const problemsOf = (...modules: CheckedModule[]) =>
  flagOwnerProblems(modules, new Set(modules.map((m) => m.record.name))).map((p) => [
    p.file,
    p.pointer,
    p.message,
  ]);

describe('flag keys declared twice', () => {
  it('reports the module a prefixed key does not name, with its own prefix', () => {
    const [problem, ...rest] = problemsOf(
      declaring('billing', 'users.max-seats'),
      declaring('users', 'users.max-seats'),
    );
    expect(rest).toEqual([]);
    expect(problem?.[0]).toBe('billing/module.config.json');
    expect(problem?.[1]).toBe('/flags/users.max-seats');
    expect(problem?.[2]).toContain('rename it "billing.max-seats"');
    expect(problem?.[2]).not.toContain('users.users');
  });

  it('leaves an unprefixed key to the first declarer and suggests a prefix', () => {
    expect(problemsOf(declaring('billing', 'beta'), declaring('crm', 'beta'))).toEqual([
      [
        'crm/module.config.json',
        '/flags/beta',
        expect.stringContaining('already declared by module "billing"'),
      ],
    ]);
    expect(problemsOf(declaring('billing', 'beta'), declaring('crm', 'beta'))[0]?.[2]).toContain(
      '("crm.beta")',
    );
  });

  it('replaces a foreign module prefix when no declarer is named by it', () => {
    const problems = problemsOf(
      declaring('billing', 'users.x'),
      declaring('crm', 'users.x'),
      declaring('users'),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[2]).toContain('("crm.x")');
  });
});
