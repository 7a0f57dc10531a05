import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatedDirectory, validatorSources } from '../../scripts/generate-validators.js';
import { createModuleConfigValidator } from '../../src/registry/compiled-validators.js';
import { readModuleConfigSchema } from '../../src/registry/schema.js';
import { createSchemaValidator } from '../../src/registry/schema-validator.js';

describe('the validators compiled from schemas/', () => {
  it.each([...validatorSources()])(
    'src/registry/generated/%s is what npm run generate writes from the schemas',
    (file, text) => {
      const committed = readFileSync(`${generatedDirectory}${file}`, 'utf8');
      // A schema changed (or ajv was upgraded) without `npm run generate`: the CLI would check
      // documents against the old schema.
      expect(committed === text, `run "npm run generate" and commit ${file}`).toBe(true);
    },
  );

  it('report the same issues as the schema compiled at run time', () => {
    const compiled = createModuleConfigValidator();
    const atRunTime = createSchemaValidator(readModuleConfigSchema());
    const configs: unknown[] = [
      { name: 'billing', version: '1.2.0' },
      { name: 'Billing Core', version: 'one', dependencies: { Users: 'x' }, extra: 1 },
      {
        name: 'a',
        version: '1.0.0',
        dependencies: 5,
        flags: { 'new-ui': { type: 'boolean', default: 'no' } },
      },
      { name: 'a', version: '1.0.0', routes: { prefix: 'x', paths: ['GET nowhere'] }, core: 'yes' },
      [],
      null,
    ];
    for (const config of configs) {
      expect(compiled.validate(config)).toEqual(atRunTime.validate(config));
    }
    expect(compiled.validate(configs[1]).length).toBeGreaterThan(3);
  });
});
