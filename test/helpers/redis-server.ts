import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** A Redis server for tests. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` (or REDIS_URL). */
  url: string;
  /** Stops the server this helper started (nothing for REDIS_URL). */
  stop(): Promise<void>;
  /** Stops and starts the server again on the same port; absent for REDIS_URL. */
  restart?(): Promise<void>;
}

/**
 * Starts a throwaway `redis-server` on a free port (never 6379, never persisting), answering
 * PING before this returns; or, when REDIS_URL is set, uses that server as it is.
 */
export async function startRedis(): Promise<TestRedis> {
  const external = process.env.REDIS_URL;
  if (external) return { url: external, stop: async () => {} };
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'modreg-redis-'));
  let server = await launch(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      await halt(server);
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await halt(server);
      server = await launch(port, dir);
    },
  };
}

/** True when tests can have a Redis: redis-server on PATH, or REDIS_URL set. */
export function redisAvailable(): boolean {
  if (process.env.REDIS_URL) return true;
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A key prefix no other test uses. */
export function testPrefix(): string {
  return `modreg-test:${randomUUID()}:`;
}

/**
 * A describe block with one Redis server for its tests (`redis()` returns it). Without Redis
 * it fails in CI (CI=true) and is skipped, loudly, elsewhere.
 */
export function describeWithRedis(name: string, fn: (redis: () => TestRedis) => void): void {
  if (!redisAvailable()) {
    if (process.env.CI === 'true') {
      describe(name, () => {
        it('needs Redis', () => {
          throw new Error('Redis is required in CI: install redis-server or set REDIS_URL.');
        });
      });
      return;
    }
    console.warn(
      `\n*** SKIPPED "${name}": no Redis (redis-server is not on PATH and REDIS_URL is not set). ***\n`,
    );
    describe.skip(name, () =>
      fn(() => {
        throw new Error('no Redis');
      }),
    );
    return;
  }
  describe(name, () => {
    let server: TestRedis | undefined;
    beforeAll(async () => {
      server = await startRedis();
    });
    afterAll(async () => {
      await server?.stop();
    });
    fn(() => {
      if (server === undefined) throw new Error('Redis is not started yet');
      return server;
    });
  });
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn('redis-server', [...args, '--dir', dir], { stdio: 'ignore' });
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

async function halt(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
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
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

function freePort(): Promise<number> {
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
