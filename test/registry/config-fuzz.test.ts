import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discoverModules } from '../../src/registry/discover.js';
import { createModuleConfigValidator } from '../../src/registry/schema-validator.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import {
  type ConfigCase,
  configCaseArb,
  malformedProblems,
  writeConfigCase,
} from './config-mutations.js';

/** A fresh directory per run under the test's own temporary directory. */
function runDirs(base: string) {
  let n = 0;
  return async (testCase: ConfigCase, check: (root: string) => Promise<void>) => {
    const root = join(base, String(n++));
    await mkdir(root);
    try {
      await writeConfigCase(root, testCase);
      await check(root);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  };
}

// Bounded: a few hundred runs, seconds. bench/config-fuzz.ts makes the 10,000-config run.
describe('fuzzing module configs', () => {
  it('discoverModules reports every mutated config as data problems, and never throws', async () => {
    const inRun = runDirs(await tempDir());
    const validator = createModuleConfigValidator();
    await fc.assert(
      fc.asyncProperty(configCaseArb, (testCase) =>
        inRun(testCase, async (root) => {
          const registry = await discoverModules({ root, validator });
          expect(malformedProblems(registry.problems)).toEqual([]);
          // The valid sibling is never hidden by the broken module.
          expect(registry.modules.map((m) => m.name)).toContain('users');
        }),
      ),
      { numRuns: 200 },
    );
  });

  it('the CLI never ends a validate or discover run with an internal error', async () => {
    const inRun = runDirs(await tempDir());
    await fc.assert(
      fc.asyncProperty(
        configCaseArb,
        fc.constantFrom(['validate'], ['discover', '--force'], ['graph']),
        fc.boolean(),
        (testCase, command, json) =>
          inRun(testCase, async (root) => {
            const run = await runCli([...command, ...(json ? ['--json'] : [])], { cwd: root });
            expect(run.stderr).not.toContain('internal error');
            expect([0, 1]).toContain(run.code);
          }),
      ),
      // Each CLI run compiles the schema again (a fraction of a second): fewer runs here.
      { numRuns: 30 },
    );
  });
});
