import { randomBytes } from 'node:crypto';
import { open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Finding } from '../../doctor/finding.js';
import { parseRedisUrl } from '../../stores/redis-url.js';
import type { Store } from '../../stores/types.js';

/** Replies of a Redis server that answers but takes no writes. */
const REFUSED_WRITE = /^(READONLY|NOREPLICAS|MISCONF|OOM|NOPERM)\b/;

/**
 * Whether the store takes writes — a store that answers reads but refuses every change is
 * a problem `doctor` must report, not "no problems". The JSON store: a file is made and
 * removed at once in its directory and each directory in it (named as temporary files are,
 * which every reader skips). Redis (`location`, the URL with its credentials): a DEL of a
 * key that does not exist, a write command that changes nothing.
 */
export async function writeProbe(store: Store, location: string): Promise<Finding[]> {
  if (store.kind === 'json') return probeDirectories(store.location);
  if (store.kind === 'redis') return probeRedis(store, location);
  return [];
}

async function probeDirectories(root: string): Promise<Finding[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => undefined);
  // A store directory that does not exist yet is created by the first change.
  if (entries === undefined) return [];
  const dirs = [root, ...entries.filter((e) => e.isDirectory()).map((e) => join(root, e.name))];
  for (const dir of dirs) {
    const probe = join(dir, `.modreg-doctor.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await (await open(probe, 'wx')).close();
      await rm(probe, { force: true });
    } catch (error) {
      const { code, message } = error as NodeJS.ErrnoException;
      return [
        {
          check: 'store',
          subject: root,
          message: `${dir} is not writable (${code ?? message}), so every change would fail; make the store directory writable for the user modreg runs as, or point --store elsewhere.`,
        },
      ];
    }
  }
  return [];
}

async function probeRedis(store: Store, location: string): Promise<Finding[]> {
  const url = parseRedisUrl(location);
  const { Redis } = await import('ioredis');
  const client = new Redis({
    ...url.node,
    ...(url.username === undefined ? {} : { username: url.username }),
    ...(url.password === undefined ? {} : { password: url.password }),
    ...(url.tls ? { tls: { servername: url.node.host } } : {}),
    db: url.db,
    lazyConnect: true,
    connectTimeout: 3000,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.del(`${url.prefix ?? 'modreg:'}{doctor}:write-probe`);
    return [];
  } catch (error) {
    const message = (error as Error).message;
    // Anything else (a Cluster redirection, a lost connection) says nothing about writes.
    if (!REFUSED_WRITE.test(message)) return [];
    return [
      {
        check: 'store',
        subject: store.location,
        message: `the server answers but takes no writes ("${message}"), so every change would fail; point --store at the primary, or fix what stops it writing.`,
      },
    ];
  } finally {
    client.disconnect();
  }
}
