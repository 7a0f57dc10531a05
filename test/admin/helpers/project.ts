import { join } from 'node:path';
import { expect, onTestFinished } from 'vitest';
import { createModreg } from '../../../src/runtime/create-modreg.js';
import type { Modreg } from '../../../src/runtime/modreg.js';
import type { ModregOptions } from '../../../src/runtime/options.js';
import { fixturesDir, runCli } from '../../helpers/cli.js';
import { copyFixture } from '../../helpers/temp-dir.js';

/** A copy of the example project with its modules discovered, and instances over its store. */
export interface TestProject {
  cwd: string;
  /** A ready instance over the project's registry file and store (or the options' store). */
  instance(options?: ModregOptions): Promise<Modreg>;
}

/** fixtures/saas in a temp directory, `modreg discover` run; instances closed afterwards. */
export async function saasProject(): Promise<TestProject> {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  expect((await runCli(['discover'], { cwd })).code).toBe(0);
  const opened: Modreg[] = [];
  onTestFinished(async () => {
    for (const modreg of opened) await modreg.close();
  });
  return {
    cwd,
    async instance(options = {}) {
      const modreg = createModreg({ root: cwd, logger: false, registryPollMs: 50, ...options });
      opened.push(modreg);
      await modreg.ready();
      return modreg;
    },
  };
}
