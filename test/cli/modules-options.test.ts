import { cp, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A project whose modules live in app/modules, not the default modules/. */
async function project() {
  const cwd = await tempDir();
  await cp(join(fixturesDir, 'saas'), join(cwd, 'app', 'modules'), { recursive: true });
  const run = (...args: string[]) => runCli(args, { cwd });
  return { cwd, run };
}

describe('the modules directory discover scanned', () => {
  it('is where doctor, graph, validate and discover look when nothing names one', async () => {
    const { run } = await project();
    expect((await run('discover', '--quiet', '--modules', 'app/modules')).code).toBe(0);
    const doctor = await run('doctor', '--json');
    expect(doctor.code).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, findings: [] });
    expect((await run('validate')).stdout).toContain('16 modules valid');
    expect(JSON.parse((await run('graph', '--json')).stdout).order).toHaveLength(16);
    expect((await run('discover', '--json')).code).toBe(0);
  });

  it('is read from the registry file --registry names, for graph too', async () => {
    const { run } = await project();
    const other = ['--registry', 'other/registry.json'];
    expect((await run('discover', '--quiet', '--modules', 'app/modules', ...other)).code).toBe(0);
    expect(JSON.parse((await run('graph', '--json', ...other)).stdout).order).toHaveLength(16);
    expect((await run('graph', '--json')).code).toBe(3);
  });
});

describe('tenant commands given --modules', () => {
  it('scan that directory instead of reading the registry file, and write none', async () => {
    const { cwd, run } = await project();
    const modules = ['--modules', 'app/modules'];
    const enabled = await run('enable', 'acme', 'invoicing', '--with-deps', ...modules, '--json');
    expect(enabled.code).toBe(0);
    expect(JSON.parse(enabled.stdout).revision).toBe(1);
    const status = await run('status', 'acme', ...modules, '--json');
    expect(JSON.parse(status.stdout).modules).toEqual([
      'core',
      'auth',
      'users',
      'billing',
      'invoicing',
    ]);
    expect((await run('flags', 'get', 'acme', 'billing.new-checkout', ...modules)).stdout).toBe(
      'false\n',
    );
    expect(await readdir(cwd)).not.toContain('.modreg/registry.json');
    expect(await readdir(join(cwd, '.modreg'))).toEqual(['state']);
    const without = await run('status', 'acme');
    expect(without.code).toBe(3);
    expect(without.stderr).toContain('modreg discover');
  });
});

describe('commands that only read the store', () => {
  it('need no registry file', async () => {
    const { cwd, run } = await project();
    expect(
      (await run('enable', 'acme', 'crm', '--with-deps', '--modules', 'app/modules')).code,
    ).toBe(0);
    await expect(readdir(join(cwd, '.modreg'))).resolves.toEqual(['state']);
    for (const args of [['tenants'], ['export'], ['history', 'acme'], ['status']]) {
      const result = await run(...args, '--json');
      expect({ args, code: result.code, error: result.stderr.includes('modreg:') }).toEqual({
        args,
        code: 0,
        error: false,
      });
    }
    expect(JSON.parse((await run('status', '--json')).stdout)).toMatchObject({
      registry: null,
      tenants: 1,
    });
  });
});

describe('the options each command takes', () => {
  const modules = ['--modules', '--ignore', '--json-only', '--registry'];
  const table: [string[], string[]][] = [
    [['discover'], modules],
    [['validate'], modules],
    [['graph'], modules],
    [['enable'], [...modules, '--store']],
    [['disable'], [...modules, '--store']],
    [
      ['flags', 'get'],
      [...modules, '--store'],
    ],
    [
      ['flags', 'set'],
      [...modules, '--store'],
    ],
    [
      ['flags', 'unset'],
      [...modules, '--store'],
    ],
    [['status'], [...modules, '--store']],
    [['tenants'], [...modules, '--store']],
    [['rollback'], [...modules, '--store']],
    [['import'], [...modules, '--store']],
    [['doctor'], [...modules, '--store']],
    [['history'], ['--store']],
    [['export'], ['--store']],
  ];
  it.each(table)('%j takes %j', async (command, options) => {
    const help = await runCli([...command, '--help'], { cwd: fixturesDir });
    expect(help.code).toBe(0);
    for (const option of [...modules, '--store']) {
      expect({ option, listed: help.stdout.includes(`${option} `) }).toEqual({
        option,
        listed: options.includes(option),
      });
    }
  });
});
