import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The example project, discovered, with `acme` on reports (and what it needs). */
async function project() {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  const run = (...args: string[]) => runCli(args, { cwd });
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    return { ...result, body: JSON.parse(result.stdout || 'null') };
  };
  expect((await run('discover', '--quiet')).code).toBe(0);
  expect((await run('enable', 'acme', 'reports', '--with-deps')).code).toBe(0);
  return { cwd, run, json };
}

describe('modreg status <tenant>', () => {
  it('lists the enabled modules that are gone or blocked, marked as such', async () => {
    const { cwd, run, json } = await project();
    await rm(join(cwd, 'modules', 'crm'), { recursive: true });
    expect((await run('discover', '--quiet', '--force')).code).toBe(1);
    const status = await json('status', 'acme');
    expect(status.code).toBe(0);
    expect(status.body.modules).not.toContain('reports');
    expect(status.body.unavailable).toEqual([
      {
        module: 'crm',
        reason: 'gone',
        message: expect.stringContaining('run "modreg disable acme crm"'),
      },
      {
        module: 'reports',
        reason: 'blocked',
        message: expect.stringContaining('"reports" is enabled but cannot load'),
      },
    ]);
    const human = await run('status', 'acme');
    expect(human.stdout).toContain('enabled but not loading (2):');
    expect(human.stdout).toMatch(/gone {2}"crm" is enabled, but no such module exists any more/);
    expect(human.stdout).toMatch(/blocked {2}"reports" is enabled but cannot load/);
  });

  it.each([
    [['status', 'nobody']],
    [['flags', 'get', 'nobody']],
    [['flags', 'get', 'nobody', 'billing.new-checkout']],
    [['history', 'nobody']],
  ])('%j refuses a tenant never written, exit 1', async (args) => {
    const { json } = await project();
    const run = await json(...args);
    expect(run.code).toBe(1);
    expect(run.body.error).toEqual({
      code: 'refused',
      message: expect.stringContaining('Tenant "nobody" has never been written;'),
    });
  });
});

describe('modreg tenants', () => {
  it('counts the modules as status lists them, core modules included', async () => {
    const { run, json } = await project();
    await run('enable', 'globex', 'crm', '--with-deps');
    const listed = (await json('tenants')).body.tenants;
    for (const tenant of ['acme', 'globex']) {
      const { modules } = (await json('status', tenant)).body;
      expect(modules).toContain('core');
      expect(listed.find((t: { tenant: string }) => t.tenant === tenant).modules).toBe(
        modules.length,
      );
    }
    expect((await run('tenants')).stdout).toMatch(/^acme\s+1\s+7\s/m);
  });
});

describe('modreg doctor', () => {
  it('finds a store directory that does not exist', async () => {
    const { json } = await project();
    const run = await json('doctor', '--store', 'typo-state');
    expect(run.code).toBe(1);
    expect(run.body).toMatchObject({
      ok: false,
      tenants: 0,
      findings: [
        {
          check: 'store',
          subject: expect.stringContaining('typo-state'),
          message: expect.stringContaining('the store directory does not exist'),
        },
      ],
    });
  });
});

describe('modreg tenants in pages', () => {
  it('gives one page and the cursor of the next with --limit, and every tenant once', async () => {
    const { run, json } = await project();
    for (const tenant of ['b', 'c', 'd', 'e']) await run('enable', tenant, 'crm', '--with-deps');
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await json('tenants', '--limit', '2', ...(cursor ? ['--cursor', cursor] : []));
      expect(page.code).toBe(0);
      expect(page.body.tenants.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.tenants.map((t: { tenant: string }) => t.tenant));
      cursor = page.body.next;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(['acme', 'b', 'c', 'd', 'e']);
    const human = await run('tenants', '--limit', '2');
    expect(human.stdout.trim().split('\n')).toHaveLength(3);
    expect(human.stderr).toMatch(/More tenants: modreg tenants --limit 2 --cursor \S+/);
    expect((await json('tenants')).body).toEqual({ tenants: expect.any(Array) });
  });

  it('refuses a bad --limit or --cursor as a usage error', async () => {
    const { json } = await project();
    for (const args of [
      ['--limit', 'ten'],
      ['--limit', '0'],
      ['--limit', '2', '--cursor', 'not a cursor'],
      ['--cursor', 'abc'],
    ]) {
      const refused = await json('tenants', ...args);
      expect({ args, code: refused.code, error: refused.body.error.code }).toEqual({
        args,
        code: 2,
        error: 'usage',
      });
    }
  });
});

describe('human output', () => {
  it('shows quotes in a quoted message as quotes, not escaped', async () => {
    const { run } = await project();
    const refused = await run('flags', 'set', 'acme', 'crm.pipeline-stages=notjson');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('"notjson" is not valid JSON (');
    expect(refused.stderr).not.toContain('\\"');
  });
});
