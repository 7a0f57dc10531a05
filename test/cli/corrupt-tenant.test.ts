import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** The example project with three tenants, one of whose files (solo's) is cut short. */
async function project() {
  const cwd = await copyFixture(join(fixturesDir, 'saas'));
  const run = (...args: string[]) => runCli(args, { cwd });
  expect((await run('discover', '--quiet')).code).toBe(0);
  for (const tenant of ['acme', 'solo', 'zeta'])
    expect((await run('enable', tenant, 'crm', '--with-deps')).code).toBe(0);
  const file = join(cwd, '.modreg/state/tenants/solo.json');
  const text = await readFile(file, 'utf8');
  await writeFile(file, text.slice(0, text.length / 2));
  return { cwd, run, file };
}

describe('one corrupt tenant file', () => {
  it('does not hide the others from tenants, which names it and exits 3', async () => {
    const { run, file } = await project();
    const listed = await run('tenants');
    expect(listed.code).toBe(3);
    expect(listed.stdout).toMatch(/^acme\s/m);
    expect(listed.stdout).toMatch(/^zeta\s/m);
    expect(listed.stdout).not.toMatch(/^solo\s/m);
    expect(listed.stderr).toContain(`modreg: tenant "solo" cannot be read: The state file ${file}`);
    expect(listed.stderr).not.toContain('modreg export');
    const json = await run('tenants', '--json');
    expect(json.code).toBe(3);
    const body = JSON.parse(json.stdout);
    expect(body.tenants.map((t: { tenant: string }) => t.tenant)).toEqual(['acme', 'zeta']);
    expect(body.unreadable).toEqual([
      { tenant: 'solo', message: expect.stringContaining('is corrupt') },
    ]);
  });

  it('is a doctor finding, exit 1, not a crash', async () => {
    const { run } = await project();
    const doctor = await run('doctor', '--json');
    expect(doctor.code).toBe(1);
    expect(JSON.parse(doctor.stdout)).toMatchObject({
      ok: false,
      tenants: 3,
      findings: [
        {
          check: 'tenant',
          subject: 'solo',
          message: expect.stringContaining('cannot be read: The state file'),
        },
      ],
    });
  });
});

describe('export with a corrupt tenant', () => {
  it('refuses, naming the file, and writes nothing to --output', async () => {
    const { cwd, run, file } = await project();
    for (const args of [['export'], ['export', '--output', 'out.json']]) {
      const refused = await run(...args);
      expect(refused.code).toBe(3);
      expect(refused.stdout).toBe('');
      expect(refused.stderr).toContain(
        `Not exported: tenant "solo" cannot be read (The state file ${file}`,
      );
      expect(refused.stderr).toContain('--skip-corrupt');
      expect(refused.stderr).not.toContain('modreg export');
    }
    expect((await readdir(cwd)).filter((name) => name.includes('out.json'))).toEqual([]);
  });

  it('leaves it out with --skip-corrupt, and says so', async () => {
    const { cwd, run } = await project();
    const skipped = await run('export', '--skip-corrupt');
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout).tenants.map((t: { tenant: string }) => t.tenant)).toEqual([
      'acme',
      'zeta',
    ]);
    expect(skipped.stderr).toContain('modreg: skipped tenant "solo", which cannot be read:');
    const toFile = await run('export', '--skip-corrupt', '--output', 'out.json', '--json');
    expect(JSON.parse(toFile.stdout)).toMatchObject({
      tenants: 2,
      skipped: [{ tenant: 'solo' }],
    });
    const written = JSON.parse(await readFile(join(cwd, 'out.json'), 'utf8'));
    expect(written.tenants).toHaveLength(2);
  });
});
