import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { freePort, haltRedis, launchRedis, redisServerVersion } from './redis-process.js';

/** A Redis server for tests. */
export interface TestRedis {
  /** `redis://127.0.0.1:<port>` (or REDIS_URL). */
  url: string;
  /** Stops the server this helper started (nothing for REDIS_URL). */
  stop(): Promise<void>;
  /** Stops and starts the server again on the same port, empty; absent for REDIS_URL. */
  restart?(): Promise<void>;
  /**
   * The process id of the server (a new one after `restart`), for SIGSTOP / SIGCONT; absent
   * for REDIS_URL.
   */
  readonly pid?: number;
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
  let server = await launchRedis(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return server.pid;
    },
    async stop() {
      await haltRedis(server);
      await rm(dir, { recursive: true, force: true });
    },
    async restart() {
      await haltRedis(server);
      server = await launchRedis(port, dir);
    },
  };
}

/** True when tests can have a Redis: redis-server on PATH, or REDIS_URL set. */
export function redisAvailable(): boolean {
  return Boolean(process.env.REDIS_URL) || redisServerVersion() !== undefined;
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
