import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The example project, discovered, with acme changed three times and globex once. */
async function project() {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  const run = (...args: string[]) => runCli(args, { cwd });
  const json = async (...args: string[]) => {
    const result = await run(...args, '--json');
    return { ...result, body: JSON.parse(result.stdout || 'null') };
  };
  expect((await run('discover', '--quiet')).code).toBe(0);
  await run('enable', 'acme', 'crm', '--with-deps', '--actor', 'alice');
  await run('enable', 'acme', 'invoicing', '--with-deps', '--actor', 'bob');
  await run('flags', 'set', 'acme', 'billing.new-checkout=true', '--actor', 'carol');
  await run('enable', 'globex', 'files', '--with-deps');
  return { cwd, run, json };
}

describe('export and import carry history', () => {
  it('export writes format 2 with each tenant history; import keeps it and continues revisions', async () => {
    const { cwd, run, json } = await project();
    expect((await run('export', '--output', 'out.json')).code).toBe(0);
    const exported = JSON.parse(await readFile(join(cwd, 'out.json'), 'utf8'));
    expect(exported.format).toBe(2);
    const acme = exported.tenants.find((t: { tenant: string }) => t.tenant === 'acme');
    expect(acme.revision).toBe(3);
    expect(acme.history.map((h: { actor: string }) => h.actor)).toEqual(['carol', 'bob', 'alice']);

    const imported = await json('import', 'out.json', '--store', 'moved', '--actor', 'mover');
    expect(imported.code).toBe(0);
    expect(imported.body.tenants).toContainEqual(
      expect.objectContaining({ tenant: 'acme', revision: 4 }),
    );
    const history = await json('history', 'acme', '--store', 'moved');
    expect(
      history.body.history.map((h: { revision: number; actor: string }) => [h.revision, h.actor]),
    ).toEqual([
      [4, 'mover'],
      [3, 'carol'],
      [2, 'bob'],
      [1, 'alice'],
    ]);
    const moved = await json('status', 'acme', '--store', 'moved');
    expect(moved.body).toMatchObject({
      revision: 4,
      modules: (await json('status', 'acme')).body.modules,
    });
    // The next change goes on from there: revisions never go backwards.
    expect((await json('enable', 'acme', 'files', '--store', 'moved')).body.revision).toBe(5);
  });

  it('leaves the history behind with --no-history, on export or on import, but revisions continue', async () => {
    const { cwd, run, json } = await project();
    expect((await run('export', '--output', 'out.json')).code).toBe(0);
    expect((await run('import', 'out.json', '--store', 'a', '--no-history')).code).toBe(0);
    const history = (await json('history', 'acme', '--store', 'a')).body.history;
    expect(history.map((h: { revision: number }) => h.revision)).toEqual([4]);

    expect((await run('export', '--no-history', '--output', 'bare.json')).code).toBe(0);
    const bare = JSON.parse(await readFile(join(cwd, 'bare.json'), 'utf8'));
    expect(bare.tenants.every((t: object) => !Object.hasOwn(t, 'history'))).toBe(true);
    expect((await run('import', 'bare.json', '--store', 'b')).code).toBe(0);
    expect((await json('status', 'acme', '--store', 'b')).body.revision).toBe(4);
  });

  it('still imports a format 1 export', async () => {
    const { cwd, run, json } = await project();
    const old = {
      format: 1,
      exportedAt: '2026-01-01T00:00:00.000Z',
      store: 'json old',
      tenants: [
        { tenant: 'initech', modules: ['crm', 'users'], flags: {}, revision: 7, updatedAt: null },
        { tenant: 'hooli', modules: ['users'], flags: {} },
      ],
    };
    await writeFile(join(cwd, 'old.json'), JSON.stringify(old));
    const imported = await run('import', 'old.json');
    expect(imported.code).toBe(0);
    expect((await json('status', 'initech')).body).toMatchObject({ revision: 8 });
    expect((await json('status', 'hooli')).body).toMatchObject({ revision: 1 });
  });

  it('moves a tenant with nothing on, so that the new store lists the same tenants', async () => {
    const { cwd, run, json } = await project();
    await run('disable', 'globex', 'files', 'users', '--cascade');
    expect((await run('export', '--output', 'out.json')).code).toBe(0);
    expect((await run('import', 'out.json', '--store', 'moved')).code).toBe(0);
    const listed = (await json('tenants', '--store', 'moved')).body.tenants;
    expect(listed.map((t: { tenant: string; revision: number }) => [t.tenant, t.revision])).toEqual(
      [
        ['acme', 4],
        ['globex', 3],
      ],
    );
    expect(await readFile(join(cwd, 'out.json'), 'utf8')).toContain('"globex"');
  });
});

describe('import refusals', () => {
  it.each([
    [
      { format: 7, tenants: [] },
      '/format: the format is 7, and this modreg imports formats 1 and 2',
    ],
    [
      { tenants: [] },
      '/: there is no "format"; a file written by "modreg export" starts with "format": 2.',
    ],
    [{ format: 2, tenants: 3 }, '/tenants: this must be an array, not the number 3.'],
    [
      { format: 2, tenants: [{ tenant: '../x', modules: [], flags: {} }] },
      '/tenants/0/tenant: "../x" is not a tenant id: use letters, digits',
    ],
    [
      { format: 2, tenants: [{ tenant: 'a', modules: [], flags: {}, histroy: [] }] },
      '/tenants/0: "histroy" is not a key here. Did you mean "history"?',
    ],
    [
      { format: 2, tenants: [{ tenant: 'a', modules: ['Bad'], flags: {} }] },
      '/tenants/0/modules/0: "Bad" is not a module name',
    ],
    [
      { format: 2, tenants: [{ tenant: 'a', flags: {} }] },
      '/tenants/0: this entry has no "modules"',
    ],
  ])(
    'words a file that is not an export as sentences naming the pointer: %j',
    async (document, line) => {
      const { cwd, run } = await project();
      await writeFile(join(cwd, 'bad.json'), JSON.stringify(document));
      const refused = await run('import', 'bad.json', '--store', 'other');
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(
        'bad.json is not an export this modreg can import; nothing imported. Fix what follows, or write the file again with "modreg export":',
      );
      expect(refused.stderr).toContain(`  ${line}`);
      expect(refused.stderr).not.toMatch(/must be equal to constant|must have required property/);
    },
  );
});
