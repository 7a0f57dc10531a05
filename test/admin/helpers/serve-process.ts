import { type ChildProcess, spawn } from 'node:child_process';
import { onTestFinished } from 'vitest';
import { binPath } from '../../helpers/cli.js';

/** A `modreg serve` running as its own process. */
export interface ServeProcess {
  /** The URL it printed: `http://127.0.0.1:<port>/`. */
  url: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` and waits for the exit (at most `timeoutMs`, else SIGKILL and a throw). */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const LISTENING = /(?:listening on |"url": ")(http:\/\/127\.0\.0\.1:\d+\/)/;

/**
 * Spawns the built `bin/modreg.js serve --port 0 …args` in `cwd` with only PATH and `env`,
 * and waits for the line with its URL (or its exit). Killed when the test finishes.
 */
export async function spawnServe(
  cwd: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): Promise<ServeProcess> {
  const serve = startServe(cwd, args, env);
  onTestFinished(() => {
    const { child } = serve;
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return serve.listening;
}

/**
 * {@link spawnServe} for a process that outlives one test (started in `beforeAll`): the
 * caller stops it, or kills `child`.
 */
export function startServe(
  cwd: string,
  args: readonly string[] = [],
  env: Record<string, string> = {},
): { child: ChildProcess; listening: Promise<ServeProcess> } {
  const child = spawn(process.execPath, [binPath, 'serve', '--port', '0', ...args], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data) => {
    stdout += data;
  });
  child.stderr.on('data', (data) => {
    stderr += data;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    listening: listening(
      child,
      exited,
      () => stdout,
      () => stderr,
    ),
  };
}

async function listening(
  child: ChildProcess,
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>,
  out: () => string,
  err: () => string,
): Promise<ServeProcess> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const url = LISTENING.exec(out())?.[1];
    if (url !== undefined) break;
    if (child.exitCode !== null) throw new ServeExit(child.exitCode, out(), err());
    if (Date.now() > deadline) throw new Error(`modreg serve printed no URL:\n${out()}\n${err()}`);
    await new Promise((done) => setTimeout(done, 20));
  }
  return {
    url: LISTENING.exec(out())?.[1] as string,
    child,
    stdout: out,
    stderr: err,
    async stop(signal = 'SIGTERM', timeoutMs = 10_000) {
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<undefined>((done) => {
        timer = setTimeout(() => done(undefined), timeoutMs);
      });
      const result = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (result !== undefined) return result;
      child.kill('SIGKILL');
      throw new Error(`modreg serve did not exit within ${timeoutMs} ms of ${signal}:\n${err()}`);
    },
  };
}

/** `modreg serve` exited before listening. */
export class ServeExit extends Error {
  constructor(
    readonly code: number,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    super(`modreg serve exited with ${code}: ${stderr}`);
  }
}
