import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixturesDir, repoRoot, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

const version = (
  JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }
).version;

describe('the command line', () => {
  it('prints its version and help, exit 0', async () => {
    expect(await runCli(['--version'], { cwd: repoRoot })).toEqual({
      code: 0,
      stdout: `${version}\n`,
      stderr: '',
    });
    const help = await runCli(['--help'], { cwd: repoRoot });
    expect(help.code).toBe(0);
    for (const command of ['init', 'discover', 'validate', 'graph'])
      expect(help.stdout).toContain(command);
  });

  it('suggests the nearest command for a typo, exit 2', async () => {
    const run = await runCli(['discvoer'], { cwd: repoRoot });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown command 'discvoer'");
    expect(run.stderr).toContain('Did you mean discover?');
  });

  it('treats an unknown option as a usage error', async () => {
    const run = await runCli(['validate', '--modulez', 'x'], { cwd: repoRoot });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("unknown option '--modulez'");
  });

  it('puts an error on stdout as JSON under --json', async () => {
    const run = await runCli(['graph', '--json', '--modules', 'nowhere'], { cwd: fixturesDir });
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toEqual({
      error: {
        code: 'environment',
        message: expect.stringContaining('Modules directory "nowhere" does not exist'),
      },
    });
  });
});

describe('usage errors', () => {
  it.each([
    [['validate', '--modulez', 'x'], "Unknown option '--modulez'. Did you mean --modules?"],
    [['discvoer'], "Unknown command 'discvoer'. Did you mean discover?"],
    [['rollback', 'acme'], "Required option '--to <revision>' not specified."],
    [['graph', '--format', 'svg'], "argument 'svg' is invalid"],
    [['status', 'a', 'b'], 'Too many arguments'],
  ])('are the error document under --json: %j', async (args, message) => {
    const run = await runCli([...args, '--json'], { cwd: repoRoot });
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      error: { code: 'usage', message: expect.stringContaining(message) },
    });
  });

  it.each([
    [[], '"modreg" needs a command: init, discover'],
    [['flags'], '"modreg flags" needs a command: get, set, unset.'],
  ])('exit 2 with the help on stderr when the command is missing: %j', async (args, message) => {
    const run = await runCli(args, { cwd: repoRoot });
    expect(run).toEqual({ code: 2, stdout: '', stderr: expect.stringContaining('Usage: modreg') });
    const json = await runCli([...args, '--json'], { cwd: repoRoot });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).error).toEqual({
      code: 'usage',
      message: expect.stringContaining(message),
    });
  });

  it('shows the help on stdout, exit 0, when asked for', async () => {
    for (const args of [['help'], ['--help'], ['flags', '--help'], ['help', 'flags']]) {
      const run = await runCli(args, { cwd: repoRoot });
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Usage: modreg');
    }
  });
});

describe('colour and quiet output', () => {
  const saas = async () => ({ cwd: await copyFixture(join(fixturesDir, 'saas')) });
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes start with ESC
  const ansi = /\u001b\[\d+m/;

  it('colours a terminal only', async () => {
    const options = await saas();
    expect((await runCli(['discover'], { ...options, tty: true })).stdout).toMatch(ansi);
    expect((await runCli(['discover'], options)).stdout).not.toMatch(ansi);
  });

  it('honours NO_COLOR and --no-color on a terminal, and FORCE_COLOR when piped', async () => {
    const options = await saas();
    const noColor = await runCli(['discover'], { ...options, tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout + noColor.stderr).not.toMatch(ansi);
    const flag = await runCli(['discover', '--no-color'], { ...options, tty: true });
    expect(flag.stdout + flag.stderr).not.toMatch(ansi);
    const forced = await runCli(['discover'], { ...options, env: { FORCE_COLOR: '1' } });
    expect(forced.stdout).toMatch(ansi);
  });

  it('leaves out notes with --quiet, but never problems', async () => {
    const options = await saas();
    const quiet = await runCli(['discover', '--quiet'], options);
    expect(quiet.code).toBe(0);
    expect(quiet.stderr).toBe('');
    const broken = await runCli(['validate', '--quiet', '--modules', 'invalid/cycle'], {
      cwd: fixturesDir,
    });
    expect(broken.stderr).toContain('cycle a → b → c → a');
  });
});
