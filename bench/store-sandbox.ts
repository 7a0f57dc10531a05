import { rmSync, statfsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onInterrupt } from './interrupt.js';
import { type RedisServer, redisServerVersion, startRedisServer } from './redis-server.js';

/** Where a store comparison may put its stores. */
export interface StoreSandbox {
  /** A fresh temporary directory, removed afterwards. */
  dir: string;
  /** The redis-server started for the comparison; undefined when none is on PATH. */
  redisUrl: string | undefined;
}

/**
 * Runs `work` with a temporary directory and, when redis-server is on PATH, a server of its
 * own on a free port; prints where they are. Both are removed afterwards, also on Ctrl-C.
 */
export async function withStoreSandbox<T>(work: (sandbox: StoreSandbox) => Promise<T>) {
  const dir = await mkdtemp(join(tmpdir(), 'modreg-bench-store-'));
  const stopRemoving = onInterrupt(() => rmSync(dir, { recursive: true, force: true }));
  let server: RedisServer | undefined;
  let stopKilling = () => {};
  try {
    console.log(`  temporary directory: ${dir} (${fileSystemOf(dir)})`);
    const version = redisServerVersion();
    if (version === undefined) {
      console.log('  redis-server is not on PATH: the Redis rows are skipped.');
    } else {
      const started = await startRedisServer(join(dir, 'redis'));
      server = started;
      stopKilling = onInterrupt(() => started.kill());
      console.log(
        `  redis-server ${version} started for this run at ${started.url}, no persistence`,
      );
    }
    return await work({ dir, redisUrl: server?.url });
  } finally {
    stopKilling();
    await server?.stop();
    stopRemoving();
    await rm(dir, { recursive: true, force: true });
  }
}

/** File systems whose fsync costs differ the most, by statfs magic number. */
const FILE_SYSTEMS = new Map([
  [0xef53, 'ext4'],
  [0x58465342, 'xfs'],
  [0x9123683e, 'btrfs'],
  [0x794c7630, 'overlayfs'],
  [0x01021994, 'tmpfs: fsync costs nothing, a disk will be slower'],
]);

function fileSystemOf(dir: string): string {
  const { type } = statfsSync(dir);
  return FILE_SYSTEMS.get(type) ?? `file system type 0x${type.toString(16)}`;
}
