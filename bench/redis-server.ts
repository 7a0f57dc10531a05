import { mkdir } from 'node:fs/promises';
import { freePort, haltRedis, launchRedis } from '../test/helpers/redis-process.js';

export { redisServerVersion } from '../test/helpers/redis-process.js';

/** A throwaway redis-server started for a comparison. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** Stops the server and waits until it has exited. */
  stop(): Promise<void>;
  /** Signals the server to stop without waiting, for the Ctrl-C path. */
  kill(): void;
}

/**
 * Starts `redis-server` on a free port (never 6379), persisting nothing, with `dir` as its
 * working directory; it answers PING before this returns.
 */
export async function startRedisServer(dir: string): Promise<RedisServer> {
  await mkdir(dir, { recursive: true });
  const port = await freePort();
  const child = await launchRedis(port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => haltRedis(child),
    kill: () => {
      child.kill('SIGTERM');
    },
  };
}
