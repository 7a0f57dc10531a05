import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A project with one module in each of three directories, named after the directory. */
async function project(): Promise<string> {
  const cwd = await tempDir();
  for (const dir of ['modules', 'from-file', 'from-env', 'from-flag']) {
    const name = dir.replace('modules', 'default');
    await mkdir(join(cwd, dir, name), { recursive: true });
    await writeFile(
      join(cwd, dir, name, 'module.config.json'),
      JSON.stringify({ name, version: '1.0.0' }),
    );
  }
  return cwd;
}

async function moduleNames(
  cwd: string,
  args: string[] = [],
  env: Record<string, string> = {},
): Promise<string[]> {
  const run = await runCli(['graph', '--json', ...args], { cwd, env });
  expect(run.stderr).toBe('');
  return JSON.parse(run.stdout).order;
}

describe('configuration: file < environment < flags', () => {
  it('defaults to modules/', async () => {
    expect(await moduleNames(await project())).toEqual(['default']);
  });

  it.each([
    ['modreg.config.json', JSON.stringify({ modules: 'from-file' })],
    ['.modregrc', JSON.stringify({ modules: 'from-file' })],
    ['.modregrc.yaml', 'modules: from-file\n'],
    ['modreg.config.mjs', "export default { modules: 'from-file' };\n"],
    ['modreg.config.cjs', "module.exports = { modules: 'from-file' };\n"],
    ['package.json', JSON.stringify({ name: 'app', modreg: { modules: 'from-file' } })],
  ])('reads %s', async (file, content) => {
    const cwd = await project();
    await writeFile(join(cwd, file), content);
    expect(await moduleNames(cwd)).toEqual(['from-file']);
  });

  it('resolves paths in the file against the file, from a subdirectory too', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'package.json'), JSON.stringify({ name: 'app' }));
    await writeFile(join(cwd, 'modreg.config.json'), JSON.stringify({ modules: 'from-file' }));
    await mkdir(join(cwd, 'deep', 'er'), { recursive: true });
    expect(await moduleNames(join(cwd, 'deep', 'er'))).toEqual(['from-file']);
  });

  it('lets MODREG_MODULES override the file, and --modules override both', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'modreg.config.json'), JSON.stringify({ modules: 'from-file' }));
    expect(await moduleNames(cwd, [], { MODREG_MODULES: 'from-env' })).toEqual(['from-env']);
    expect(
      await moduleNames(cwd, ['--modules', 'from-flag'], { MODREG_MODULES: 'from-env' }),
    ).toEqual(['from-flag']);
  });

  it('takes --config and MODREG_CONFIG', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'other.json'), JSON.stringify({ modules: 'from-file' }));
    expect(await moduleNames(cwd, ['--config', 'other.json'])).toEqual(['from-file']);
    expect(await moduleNames(cwd, [], { MODREG_CONFIG: 'other.json' })).toEqual(['from-file']);
  });

  it('never loads a TypeScript config', async () => {
    const cwd = await project();
    await writeFile(
      join(cwd, 'modreg.config.ts'),
      "export default { modules: 'from-file' } as const;\n",
    );
    expect(await moduleNames(cwd)).toEqual(['default']);
  });

  it('refuses an unknown key with a suggestion, exit 2', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'modreg.config.json'), JSON.stringify({ module: 'from-file' }));
    const run = await runCli(['validate'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The modreg config modreg.config.json is invalid');
    expect(run.stderr).toContain('Did you mean "modules"?');
  });

  it('refuses a config that does not parse, exit 2, without a stack trace', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'modreg.config.json'), '{ "modules": ');
    const run = await runCli(['validate'], { cwd });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot read the modreg config');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses a missing --config file and a bad MODREG_JSON_ONLY, exit 2', async () => {
    const cwd = await project();
    const missing = await runCli(['validate', '--config', 'nope.json'], { cwd });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Config file nope.json does not exist');
    const bad = await runCli(['validate'], { cwd, env: { MODREG_JSON_ONLY: 'maybe' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('MODREG_JSON_ONLY=maybe is not a boolean');
  });

  it('reads ignore and jsonOnly from the environment', async () => {
    const cwd = await project();
    await writeFile(join(cwd, 'modules', 'default', 'module.config.json'), '{}');
    await mkdir(join(cwd, 'modules', 'scripted'));
    await writeFile(
      join(cwd, 'modules', 'scripted', 'module.config.mjs'),
      "export default { name: 'scripted', version: '1.0.0' };",
    );
    const run = await runCli(['validate', '--json'], {
      cwd,
      env: { MODREG_IGNORE: 'default/**', MODREG_JSON_ONLY: '1' },
    });
    const output = JSON.parse(run.stdout);
    expect(output.problems.map((p: { file: string }) => p.file)).toEqual([
      'modules/scripted/module.config.mjs',
    ]);
  });
});
