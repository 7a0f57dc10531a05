import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The tenant files of the project's JSON store (none when it was never written). */
async function tenantFiles(cwd: string, store = '.modreg/state'): Promise<string[]> {
  return readdir(join(cwd, store, 'tenants')).catch(() => []);
}

/** The example project, discovered: a registry file and an empty JSON store. */
async function project() {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  expect((await runCli(['discover', '--quiet'], { cwd })).code).toBe(0);
  const run = (...args: string[]) => runCli(args, { cwd });
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    return { ...result, body: JSON.parse(result.stdout || 'null') };
  };
  return { cwd, run, json };
}

describe('modreg enable / disable', () => {
  it('refuses a module whose dependencies are off, naming the chain, and writes nothing', async () => {
    const { cwd, run, json } = await project();
    const refused = await run('enable', 'acme', 'invoicing');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('invoicing');
    expect(refused.stderr).toContain('billing');
    expect(refused.stderr).toContain('--with-deps');
    const asJson = await json('enable', 'acme', 'invoicing');
    expect(asJson.body.error.code).toBe('refused');
    expect(await tenantFiles(cwd)).toEqual([]);
  });

  it('enables with --with-deps in load order, and status lists the modules in load order', async () => {
    const { json } = await project();
    const enabled = await json('enable', 'acme', 'invoicing', '--with-deps');
    expect(enabled.code).toBe(0);
    expect(enabled.body).toEqual({
      tenant: 'acme',
      changes: [
        expect.objectContaining({ module: 'users', action: 'enable' }),
        expect.objectContaining({ module: 'billing', action: 'enable' }),
        expect.objectContaining({ module: 'invoicing', action: 'enable' }),
      ],
      revision: 1,
      dryRun: false,
    });
    const status = await json('status', 'acme');
    expect(status.body).toMatchObject({
      tenant: 'acme',
      modules: ['core', 'auth', 'users', 'billing', 'invoicing'],
      revision: 1,
    });
    expect(status.body.flags['billing.new-checkout']).toBe(false);
    expect(Date.parse(status.body.updatedAt)).not.toBeNaN();
  });

  it('changes nothing on --dry-run', async () => {
    const { json } = await project();
    const dry = await json('enable', 'acme', 'crm', '--with-deps', '--dry-run');
    expect(dry.body).toMatchObject({ tenant: 'acme', revision: 0, dryRun: true });
    expect(dry.body.changes.map((c: { module: string }) => c.module)).toEqual(['users', 'crm']);
    expect((await json('status', 'acme')).body.error.message).toContain('never been written');
  });

  it('refuses to disable a module others need, one path per dependent; --cascade takes them first', async () => {
    const { run, json } = await project();
    await run('enable', 'acme', 'reports', '--with-deps');
    const refused = await run('disable', 'acme', 'billing');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/invoicing → billing/);
    expect(refused.stderr).toMatch(/reports → invoicing → billing/);
    const cascade = await json('disable', 'acme', 'billing', '--cascade');
    expect(cascade.code).toBe(0);
    expect(
      cascade.body.changes.map(
        (c: { module: string; action: string }) => `${c.action} ${c.module}`,
      ),
    ).toEqual(['disable reports', 'disable invoicing', 'disable billing']);
    expect((await json('status', 'acme')).body.modules).toEqual(['core', 'auth', 'users', 'crm']);
  });

  it('never disables a core module', async () => {
    const { run } = await project();
    const refused = await run('disable', 'acme', 'core');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('core');
  });

  it('suggests the nearest module for a typo', async () => {
    const { run } = await project();
    const refused = await run('enable', 'acme', 'bilung');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('Did you mean "billing"?');
  });

  it.each([['../x'], [''], ['x'.repeat(10_000)], ['bad\u0007id'], ['__proto__'], ['-dash']])(
    'refuses the tenant id %j before writing anything',
    async (tenant) => {
      const { cwd, run } = await project();
      const refused = await run('enable', tenant, 'users', '--with-deps');
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).not.toMatch(/\n\s+at /);
      expect(refused.stderr.length).toBeLessThan(1000);
      expect(await tenantFiles(cwd)).toEqual([]);
    },
  );

  it('takes tenant ids named like Object.prototype members', async () => {
    const { json } = await project();
    for (const tenant of ['constructor', 'toString', 'hasOwnProperty']) {
      expect((await json('enable', tenant, 'crm', '--with-deps')).code).toBe(0);
    }
    expect((await json('tenants')).body.tenants.map((t: { tenant: string }) => t.tenant)).toEqual([
      'constructor',
      'hasOwnProperty',
      'toString',
    ]);
  });
});

describe('modreg flags', () => {
  it('checks values against the declared type, naming the flag, module and type', async () => {
    const { run, json } = await project();
    const refused = await run('flags', 'set', 'acme', 'billing.new-checkout=yes');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('billing.new-checkout');
    expect(refused.stderr).toContain('billing');
    expect(refused.stderr).toContain('boolean');
    expect(
      (await run('flags', 'set', 'acme', 'billing.new-checkout=true', 'reports.max-rows=500')).code,
    ).toBe(0);
    expect((await json('flags', 'get', 'acme', 'billing.new-checkout')).body.value).toBe(true);
    expect((await json('flags', 'get', 'acme')).body.flags).toMatchObject({
      'billing.new-checkout': true,
      'reports.max-rows': 500,
    });
    expect((await run('flags', 'unset', 'acme', 'billing.new-checkout')).code).toBe(0);
    expect((await json('flags', 'get', 'acme', 'billing.new-checkout')).body.value).toBe(false);
  });

  it('takes undeclared flags unless --strict, refuses __proto__ and oversized values', async () => {
    const { run, json } = await project();
    expect((await run('flags', 'set', 'acme', 'experiment={"arm":"b"}')).code).toBe(0);
    expect((await json('flags', 'get', 'acme', 'experiment')).body.value).toEqual({ arm: 'b' });
    expect((await run('flags', 'set', 'acme', 'other=1', '--strict')).code).toBe(1);
    expect((await run('flags', 'set', 'acme', '__proto__={"polluted":true}')).code).toBe(1);
    const big = await run('flags', 'set', 'acme', `note=${'x'.repeat(20_000)}`);
    expect(big.code).toBe(1);
    expect(big.stderr).toMatch(/8192|8 KiB|limit/);
    expect((await run('flags', 'set', 'acme', 'novalue')).code).toBe(2);
  });
});

describe('modreg history / rollback / tenants', () => {
  it('records who changed what, and rolls back through the dependency checks', async () => {
    const { run, json } = await project();
    await run('enable', 'acme', 'crm', '--with-deps', '--actor', 'alice');
    await run('enable', 'acme', 'reports', '--with-deps', '--actor', 'bob');
    const history = await json('history', 'acme');
    expect(
      history.body.history.map((h: { revision: number; actor: string }) => [h.revision, h.actor]),
    ).toEqual([
      [2, 'bob'],
      [1, 'alice'],
    ]);
    expect((await run('history', 'acme')).stdout).toContain('+ reports');
    const rolled = await json('rollback', 'acme', '--to', '1');
    expect(rolled.code).toBe(0);
    expect(rolled.body.revision).toBe(3);
    expect((await json('status', 'acme')).body.modules).toEqual(['core', 'auth', 'users', 'crm']);
    const missing = await run('rollback', 'acme', '--to', '99');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no revision 99');
  });
});

describe('modreg export / import', () => {
  it('moves every tenant to another store, checking the whole file first', async () => {
    const { cwd, run, json } = await project();
    await run('enable', 'acme', 'reports', '--with-deps');
    await run('flags', 'set', 'globex', 'billing.new-checkout=true');
    expect((await run('export', '--output', 'out.json')).code).toBe(0);
    const exported = JSON.parse(await readFile(join(cwd, 'out.json'), 'utf8'));
    expect(exported.tenants.map((t: { tenant: string }) => t.tenant)).toEqual(['acme', 'globex']);

    const imported = await json('import', 'out.json', '--store', 'other-state');
    expect(imported.code).toBe(0);
    const other = await json('status', 'acme', '--store', 'other-state');
    expect(other.body.modules).toEqual((await json('status', 'acme')).body.modules);

    exported.tenants.push({ tenant: 'initech', modules: ['ledger'], flags: {} });
    await writeFile(join(cwd, 'bad.json'), JSON.stringify(exported));
    const refused = await run('import', 'bad.json', '--store', 'third-state');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('initech');
    expect(refused.stderr).toContain('Nothing imported');
    expect(refused.stderr).toContain('bad.json');
    expect(await tenantFiles(cwd, 'third-state')).toEqual([]);
    await writeFile(join(cwd, 'junk.json'), '{"tenants": 3}');
    expect((await run('import', 'junk.json')).code).toBe(1);
  });
});

describe('modreg doctor', () => {
  it('finds a stale registry, then a tenant whose module gained a dependency it lacks', async () => {
    const { cwd, run, json } = await project();
    await run('enable', 'acme', 'invoicing', '--with-deps');
    expect((await json('doctor')).body).toMatchObject({ ok: true, tenants: 1, findings: [] });

    await mkdir(join(cwd, 'modules/tax'));
    await writeFile(
      join(cwd, 'modules/tax/module.config.json'),
      JSON.stringify({ name: 'tax', version: '1.0.0' }),
    );
    const config = join(cwd, 'modules/invoicing/module.config.json');
    const invoicing = JSON.parse(await readFile(config, 'utf8'));
    invoicing.dependencies.tax = '^1.0.0';
    await writeFile(config, JSON.stringify(invoicing));

    const stale = await json('doctor');
    expect(stale.code).toBe(1);
    expect(stale.body.findings).toContainEqual(
      expect.objectContaining({ check: 'registry', message: expect.stringContaining('"tax"') }),
    );
    expect(stale.body.findings).toContainEqual(
      expect.objectContaining({
        check: 'tenant',
        subject: 'acme',
        message: expect.stringContaining('requires "tax"'),
      }),
    );
    await run('discover', '--quiet');
    await run('enable', 'acme', 'tax');
    expect((await json('doctor')).code).toBe(0);
  });
});

describe('environment failures', () => {
  it('exits 3 when the registry file is missing, saying to run discover', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const run = await runCli(['status', 'acme'], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('modreg discover');
  });

  it('exits 3 within seconds when Redis cannot be reached', async () => {
    const { run } = await project();
    const started = Date.now();
    const result = await run(
      'enable',
      'acme',
      'crm',
      '--with-deps',
      '--store',
      'redis://127.0.0.1:1',
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('redis://127.0.0.1:1');
    expect(Date.now() - started).toBeLessThan(8000);
  });
});
