import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from '../../src/cli/main.js';

/** What a CLI run left behind. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options of a CLI run. */
export interface CliRunOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  /** Pretend stdout and stderr are terminals. @default false */
  tty?: boolean;
}

export const repoRoot: string = fileURLToPath(new URL('../..', import.meta.url));
export const fixturesDir: string = fileURLToPath(new URL('../../fixtures', import.meta.url));
export const binPath: string = fileURLToPath(new URL('../../bin/modreg.js', import.meta.url));

/** Runs the CLI in-process with captured output. */
export async function runCli(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const tty = options.tty === true;
  const code = await main(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY: tty },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty },
    env: options.env ?? {},
    cwd: options.cwd,
  });
  return { code, stdout, stderr };
}

/** Runs the built `bin/modreg.js` as a separate process. */
export function spawnCli(args: readonly string[], options: CliRunOptions): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [binPath, ...args],
      { cwd: options.cwd, env: { PATH: process.env.PATH, ...options.env } },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
