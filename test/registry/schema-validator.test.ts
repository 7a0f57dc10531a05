import { describe, expect, it } from 'vitest';
import { createModuleConfigValidator } from '../../src/registry/schema-validator.js';

const validator = createModuleConfigValidator();
const valid = { name: 'billing', version: '1.2.0' };

function issues(config: Record<string, unknown>) {
  return validator.validate({ ...valid, ...config });
}

describe('module.config schema validation', () => {
  it('accepts a complete config', () => {
    expect(
      issues({
        $schema: '../schema.json',
        description: 'Billing.',
        entry: 'index.js',
        dependencies: { users: '^1.0.0' },
        optionalDependencies: ['analytics'],
        routes: { prefix: '/billing', paths: ['/plans', 'POST /plans'] },
        models: ['Invoice'],
        flags: {
          'billing.new-ui': { type: 'boolean', default: false, description: 'x' },
          limit: { type: 'number', default: 3 },
          theme: { type: 'json', default: { dark: true } },
        },
        core: false,
      }),
    ).toEqual([]);
  });

  it('reports every problem, not just the first', () => {
    const found = validator.validate({ name: 'Billing', version: '1', core: 'yes', extra: 1 });
    expect(found.map((i) => i.pointer).sort()).toEqual(['/core', '/extra', '/name', '/version']);
  });

  it('suggests the key a typo meant', () => {
    expect(issues({ dependancies: [] })).toEqual([
      {
        pointer: '/dependancies',
        message: expect.stringContaining('Did you mean "dependencies"?'),
      },
    ]);
  });

  it('names a missing required key', () => {
    expect(validator.validate({ name: 'x' })).toEqual([
      { pointer: '', message: expect.stringContaining('"version"') },
    ]);
  });

  it('says once what a dependency list must be', () => {
    const found = issues({ dependencies: 'users' });
    expect(found).toHaveLength(1);
    expect(found[0]?.message).toContain('an object of version ranges');
  });

  it('reports only the errors of the form a dependency list uses', () => {
    expect(issues({ dependencies: ['users', 'Bad Name'] })).toEqual([
      { pointer: '/dependencies/1', message: expect.stringContaining('"bad-name"') },
    ]);
    expect(issues({ dependencies: { Users: '^1.0.0', auth: 2 } })).toEqual([
      {
        pointer: '/dependencies/Users',
        message: expect.stringContaining('not a valid module name'),
      },
      { pointer: '/dependencies/auth', message: expect.stringContaining('must be a string') },
    ]);
  });

  it('checks a flag default against the flag type', () => {
    expect(issues({ flags: { n: { type: 'number', default: '3' } } })).toEqual([
      { pointer: '/flags/n/default', message: expect.stringContaining('"number"') },
    ]);
    expect(issues({ flags: { n: { type: 'bool' } } })[0]?.message).toContain(
      'Did you mean "boolean"?',
    );
  });

  it('rejects invalid flag keys and route forms', () => {
    expect(issues({ flags: { _x: { type: 'string' } } })[0]?.pointer).toBe('/flags/_x');
    expect(issues({ routes: { prefix: 'billing' } })[0]?.message).toContain('must start with "/"');
    expect(issues({ routes: { paths: ['FETCH /x'] } })[0]?.pointer).toBe('/routes/paths/0');
  });

  it.each(['1.0', 'v1.0.0', '01.0.0', '1.0.0.0'])('rejects version %j', (version) => {
    expect(issues({ version })[0]?.pointer).toBe('/version');
  });

  it.each(['1.0.0', '0.0.1-beta.2', '2.0.0+build.5'])('accepts version %j', (version) => {
    expect(issues({ version })).toEqual([]);
  });
});
