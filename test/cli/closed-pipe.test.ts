import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { binPath, fixturesDir, runCli } from '../helpers/cli.js';
import { copyFixture } from '../helpers/temp-dir.js';

/** What a run whose stdout reader went away left: exit code and stderr. */
interface ClosedRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

/**
 * Runs the built CLI with stdout a pipe the reader closes: at once (`readFirst` false), or
 * after the first chunk, as `| head -1` does.
 */
function runClosed(args: string[], cwd: string, readFirst: boolean): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      cwd,
      env: { PATH: process.env.PATH },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    if (readFirst) child.stdout.once('data', () => child.stdout.destroy());
    else child.stdout.destroy();
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe('a closed stdout', () => {
  it('ends every command quietly, however early the reader goes', async () => {
    const cwd = await copyFixture(join(fixturesDir, 'saas'));
    const run = (...args: string[]) => runCli(args, { cwd });
    expect((await run('discover', '--quiet')).code).toBe(0);
    for (let i = 0; i < 10; i++) {
      expect((await run('enable', `t${i}`, 'reports', '--with-deps')).code).toBe(0);
    }
    const commands = [
      ['status', 't0'],
      ['tenants'],
      ['export'],
      ['graph', '--format', 'dot'],
      ['discover', '--json'],
      ['--help'],
    ];
    const runs: Promise<ClosedRun & { command: string }>[] = [];
    for (let round = 0; round < 4; round++) {
      for (const command of commands) {
        runs.push(
          runClosed(command, cwd, round % 2 === 1).then((r) => ({
            ...r,
            command: command.join(' '),
          })),
        );
      }
    }
    for (const result of await Promise.all(runs)) {
      expect(result).toEqual({ code: 0, signal: null, stderr: '', command: result.command });
    }
  }, 180_000);
});
