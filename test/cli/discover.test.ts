import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture, tempDir } from '../helpers/temp-dir.js';

describe('modreg discover', () => {
  it('prints the modules and writes the registry file in load order', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const run = await runCli(['discover'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^MODULE\s+VERSION\s+DEPENDENCIES\s+STATUS/);
    expect(run.stdout).toMatch(/billing\s+2\.3\.1\s+users >=1\.5\.0 <2\.0\.0\s+ok/);
    expect(run.stderr).toContain(
      'Registry written to .modreg/registry.json (16 modules in load order).',
    );
    const registry = JSON.parse(await readFile(join(cwd, '.modreg/registry.json'), 'utf8'));
    expect(registry).toMatchObject({ format: 1, root: '..', modulesDir: 'modules' });
    expect(registry.order).toHaveLength(16);
    expect(registry.order[0]).toBe('core');
    expect(registry.modules.find((m: { name: string }) => m.name === 'reports')).toMatchObject({
      path: 'modules/reports',
      entry: 'modules/reports/index.js',
      optionalDependencies: { analytics: '^1.0.0' },
    });
  });

  it('keeps to the --json contract', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const run = await runCli(['discover', '--json'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const output = JSON.parse(run.stdout);
    expect(output.problems).toEqual([]);
    expect(output.registry).toEqual({ file: '.modreg/registry.json', written: true });
    expect(output.modules[0]).toEqual(
      expect.objectContaining({
        name: 'admin',
        version: '1.0.0',
        path: 'modules/admin',
        dependencies: { users: '^1.8.0', 'audit-log': '^1.0.0' },
        optionalDependencies: { billing: '*' },
      }),
    );
  });

  it('does not replace a good registry with a broken one, and exits 1', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    expect((await runCli(['discover'], { cwd })).code).toBe(0);
    const before = await readFile(join(cwd, '.modreg/registry.json'), 'utf8');
    const config = join(cwd, 'modules/billing/module.config.json');
    await writeFile(config, (await readFile(config, 'utf8')).replace('"users"', '"ledger"'));

    const run = await runCli(['discover'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('modules/billing/module.config.json:');
    expect(run.stderr).toContain(
      'requires "ledger", which is not in the modules directory (modules)',
    );
    expect(run.stderr).toContain('Registry not written');
    expect(await readFile(join(cwd, '.modreg/registry.json'), 'utf8')).toBe(before);

    const forced = await runCli(['discover', '--force', '--json'], { cwd });
    expect(forced.code).toBe(1);
    const output = JSON.parse(forced.stdout);
    expect(output.registry.written).toBe(true);
    const written = JSON.parse(await readFile(join(cwd, '.modreg/registry.json'), 'utf8'));
    expect(written.order).not.toContain('billing');
    expect(written.blocked.map((b: { module: string }) => b.module)).toContain('billing');
  });

  it('exits 3 when the modules directory does not exist, naming the fix', async () => {
    const cwd = await tempDir();
    const run = await runCli(['discover', '--modules', 'nowhere'], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Modules directory "nowhere" does not exist');
    expect(run.stderr).toContain('--modules');
    expect(run.stderr).not.toContain('    at ');
  });

  it('exits 3 when the registry path is a directory', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    await mkdir(join(cwd, 'taken', 'registry.json'), { recursive: true });
    const run = await runCli(['discover', '--registry', 'taken/registry.json'], { cwd });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain('Cannot write the registry file');
    expect(run.stderr).toContain('--registry');
  });

  it('skips node_modules and --ignore globs', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const stray = { name: 'stray', version: '1.0.0', dependencies: ['nothing-here'] };
    for (const dir of ['modules/node_modules/stray', 'modules/billing/fixtures/stray']) {
      await mkdir(join(cwd, dir), { recursive: true });
      await writeFile(join(cwd, dir, 'module.config.json'), JSON.stringify(stray));
    }
    const run = await runCli(['discover', '--json', '--ignore', '**/fixtures/**'], { cwd });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).modules.map((m: { name: string }) => m.name)).not.toContain(
      'stray',
    );
  });

  it('refuses executable configs with --json-only', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'js-config'));
    expect((await runCli(['validate'], { cwd })).code).toBe(0);
    const run = await runCli(['validate', '--json-only'], { cwd });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'modules/billing/module.config.mjs is executable code, refused by --json-only',
    );
  });
});

describe('modreg validate', () => {
  it('passes the example tree and writes nothing', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const run = await runCli(['validate'], { cwd });
    expect(run).toMatchObject({ code: 0, stdout: '✔ 16 modules valid, load order complete.\n' });
    await expect(readFile(join(cwd, '.modreg/registry.json'))).rejects.toThrow();
  });

  it('reports every problem of every file, then a count', async () => {
    const run = await runCli(['validate', '--modules', 'invalid/duplicate-name'], {
      cwd: fixturesDir,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('invalid/duplicate-name/crm/module.config.json:3 /name');
    expect(run.stderr).toContain('invalid/duplicate-name/crm-legacy/module.config.json:3 /name');
    expect(run.stderr).toContain('3 modules: 2 problems, 0 cycles, 1 blocked.');
  });

  it('reports a cycle as its path under --json', async () => {
    const run = await runCli(['validate', '--json', '--modules', 'invalid/cycle'], {
      cwd: fixturesDir,
    });
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout);
    expect(output).toMatchObject({
      valid: false,
      modules: 3,
      problems: [],
      cycles: [['a', 'b', 'c', 'a']],
    });
    expect(output.blocked).toHaveLength(3);
  });
});
