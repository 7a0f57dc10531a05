import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createConnection, createServer } from 'node:net';

// Running a throwaway redis-server, for the tests and the benchmarks alike: no test runner here.

/** The version of the redis-server on PATH (`7.0.15`), or undefined when there is none. */
export function redisServerVersion(): string | undefined {
  try {
    const text = execFileSync('redis-server', ['--version'], { encoding: 'utf8' });
    return /v=(\S+)/.exec(text)?.[1] ?? text.trim();
  } catch {
    return undefined;
  }
}

/** The version of the redis-cli on PATH, or undefined when there is none. */
export function redisCliVersion(): string | undefined {
  try {
    return execFileSync('redis-cli', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return undefined;
  }
}

/**
 * Starts `redis-server` on `port` (bound to 127.0.0.1, persisting nothing) in `dir`, with
 * `extra` arguments (cluster mode, say), and waits until it answers PING.
 */
export async function launchRedis(
  port: number,
  dir: string,
  extra: readonly string[] = [],
): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--dir', dir, ...extra], { stdio: 'ignore' });
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `redis-server exited (${signal ?? code}) on port ${port}`;
  });
  child.once('error', (error) => {
    exited = `redis-server did not start: ${error.message}`;
  });
  const deadline = Date.now() + 10_000;
  while (!(await answersPing(port))) {
    if (exited !== undefined) throw new Error(exited);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not answer PING on port ${port} within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return child;
}

/** Stops a server started by {@link launchRedis}, also one a test left stopped (SIGSTOP). */
export async function haltRedis(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGCONT');
  child.kill('SIGTERM');
  await exited;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => {
      reply += data.toString();
      // A server that requires a password answers too, with NOAUTH.
      if (reply.includes('\r\n')) done(/^(\+PONG|-NOAUTH)/.test(reply));
    });
  });
}

/** A TCP port nothing listens on now (never 6379). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null && address.port !== 6379) {
          resolve(address.port);
        } else {
          reject(new Error(`no free port (got ${JSON.stringify(address)})`));
        }
      });
    });
  });
}
