import { type ChildProcess, spawn } from 'node:child_process';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { repoRoot } from '../helpers/cli.js';

/** The example server of examples/express. */
export const exampleServer: string = join(repoRoot, 'examples/express/server.mjs');

/** A server running as its own process. */
export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, from the line the server printed. */
  url: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr interleaved. */
  output(): string;
  /** True until the process exits. */
  running(): boolean;
  /** SIGTERM, then its exit: code (or signal), within `timeoutMs`, else SIGKILL and a throw. */
  stop(timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Options of {@link startServer}. */
export interface StartServerOptions {
  /** The script to run. @default the example server */
  script?: string;
  /** Environment beyond PATH and PORT=0 (nothing else of this process is passed on). */
  env?: Record<string, string>;
  /** Longest wait for the listening line. @default 10000 */
  timeoutMs?: number;
}

const LISTENING = /^listening on (http:\/\/127\.0\.0\.1:\d+)$/m;

/**
 * Spawns a server script with PORT=0 and waits for its `listening on http://127.0.0.1:<port>`
 * line. It is stopped when the current test finishes (if it is still running then).
 */
export async function startServer(options: StartServerOptions = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [options.script ?? exampleServer], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, ...options.env, PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const stop = async (timeoutMs = 5000) => {
    if (!running()) return exited;
    child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    const result = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    if (result !== undefined) return result;
    child.kill('SIGKILL');
    await exited;
    throw new Error(`the server did not exit within ${timeoutMs} ms of SIGTERM:\n${output}`);
  };
  onTestFinished(async () => {
    if (running()) await stop().catch(() => undefined);
  });

  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const url = LISTENING.exec(output)?.[1];
    if (url !== undefined) return { url, child, output: () => output, running, stop };
    if (!running()) throw new Error(`the server exited before listening:\n${output}`);
    if (Date.now() > deadline) {
      await stop().catch(() => undefined);
      throw new Error(`the server did not print its listening line in time:\n${output}`);
    }
    await sleep(20);
  }
}

/** What a request got back: the status and the body, parsed when it is JSON. */
export interface Reply {
  status: number;
  body: unknown;
}

/** One GET on 127.0.0.1, as the tenant when given (the x-tenant-id header). */
export async function get(base: string, path: string, tenant?: string): Promise<Reply> {
  const response = await fetch(new URL(path, base), {
    headers: tenant === undefined ? {} : { 'x-tenant-id': tenant },
    signal: AbortSignal.timeout(3000),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('application/json');
  return { status: response.status, body: json ? JSON.parse(text) : text };
}

/**
 * Calls `probe` until `done` accepts its result, at most `timeoutMs` (never more than 5 s);
 * returns that result, or throws with the last one.
 */
export async function pollUntil<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 2000,
): Promise<T> {
  const deadline = Date.now() + Math.min(timeoutMs, 5000);
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) {
      throw new Error(`still not there after ${timeoutMs} ms; last: ${JSON.stringify(value)}`);
    }
    await sleep(25);
  }
}

/** Polls GET `path` as `tenant` until it answers `status`. */
export function pollStatus(
  base: string,
  path: string,
  tenant: string,
  status: number,
  timeoutMs = 2000,
): Promise<Reply> {
  return pollUntil(
    () => get(base, path, tenant),
    (reply) => reply.status === status,
    timeoutMs,
  );
}

/**
 * Sends one raw command to a Redis server on 127.0.0.1 and resolves when the connection
 * closes (SHUTDOWN closes it without a reply) or the reply arrives.
 */
export function redisCommand(url: string, command: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port: Number(port) });
    let reply = '';
    socket.setTimeout(3000, () => {
      socket.destroy();
      reject(new Error(`no answer from ${url} to ${command}`));
    });
    socket.once('error', reject);
    socket.once('connect', () => socket.write(`${command}\r\n`));
    socket.on('data', (data) => {
      reply += data.toString();
      if (reply.endsWith('\r\n')) socket.end();
    });
    socket.once('close', () => resolve(reply));
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
