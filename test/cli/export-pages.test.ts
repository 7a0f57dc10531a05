import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/**
 * Writes `count` tenants straight into the JSON store at `dir`, in its documented format
 * (schemas/state.schema.json): much faster than as many commits.
 */
async function writeTenants(dir: string, count: number): Promise<string[]> {
  await mkdir(join(dir, 'tenants'), { recursive: true });
  const at = '2026-01-01T00:00:00.000Z';
  const tenants = Array.from({ length: count }, (_, i) => `t${String(i).padStart(5, '0')}`);
  for (const tenant of tenants) {
    const after = { modules: ['users'], flags: { 'users.max-seats': 5 } };
    const document = {
      format: 1,
      tenant,
      revision: 3,
      updatedAt: at,
      ...after,
      history: [
        {
          revision: 3,
          at,
          actor: 'seed',
          operation: 'seed',
          before: { modules: [], flags: {} },
          after,
        },
      ],
    };
    await writeFile(join(dir, 'tenants', `${tenant}.json`), JSON.stringify(document));
  }
  return tenants;
}

describe('modreg export of several pages of tenants', () => {
  it('writes every tenant once, in order, as one document', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const tenants = await writeTenants(join(cwd, '.modreg/state'), 2345);
    const run = await runCli(['export'], { cwd });
    expect(run.code).toBe(0);
    const document = JSON.parse(run.stdout);
    expect(document.tenants.map((t: { tenant: string }) => t.tenant)).toEqual(tenants);
    expect(document.tenants[2344]).toMatchObject({ modules: ['users'], revision: 3 });
  });
});
