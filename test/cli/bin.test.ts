import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot, spawnCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

describe('bin/modreg.js as a process', () => {
  it('prints the version', async () => {
    const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
    expect(await spawnCli(['--version'], { cwd: repoRoot })).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
  });

  it('discovers the example, uncoloured when piped, and writes the registry', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const run = await spawnCli(['discover'], { cwd });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain('\u001b[');
    expect(run.stdout.split('\n')).toHaveLength(18);
    expect(
      JSON.parse(await readFile(join(cwd, '.modreg/registry.json'), 'utf8')).order,
    ).toHaveLength(16);
  });

  it('exits 1 on a cycle, 2 on a usage error, 3 on a missing directory', async () => {
    const cwd = join(fixturesDir, 'invalid');
    expect((await spawnCli(['graph', '--modules', 'cycle'], { cwd })).code).toBe(1);
    expect((await spawnCli(['graph', '--format', 'png'], { cwd })).code).toBe(2);
    const missing = await spawnCli(['validate', '--modules', 'absent'], { cwd });
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^modreg: Modules directory "absent" does not exist/);
  });

  it('does not cut off a large piped output', async () => {
    const run = await spawnCli(['graph', '--modules', 'saas', '--format', 'dot'], {
      cwd: fixturesDir,
    });
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().endsWith('}')).toBe(true);
  });
});
