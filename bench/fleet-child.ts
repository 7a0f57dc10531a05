import { Cluster, Redis } from 'ioredis';
import { createModreg } from '../src/runtime/create-modreg.js';
import { tenantKeys } from '../src/stores/redis-keys.js';

/**
 * One process of a propagation fleet, spawned by fleet.ts with an IPC channel as
 * `node --import tsx bench/fleet-child.ts <kind> <location> <prefix> <tenants,comma,separated>`:
 * - `modreg`: a createModreg instance on the store at `location` (registry: fixtures/saas),
 *   holding the watched tenants, reporting every `change` event;
 * - `bare`: the least a process can do to follow a Redis store — one ioredis subscriber on
 *   the store's channel and one HGETALL of the tenant's state hash per message (`location`
 *   names a node of a Cluster when it is one).
 * Each report is a {@link FleetReport} sent over IPC, timed on the wall clock
 * (performance.timeOrigin + performance.now()) so the parent can compare it with its own.
 */
export type FleetMessage = { ready: true } | { cpuMs: number } | FleetReport;

/** A tenant's revision as this process came to hold it. */
export interface FleetReport {
  tenant: string;
  revision: number;
  /** Wall-clock milliseconds, sub-millisecond precision. */
  at: number;
}

const [kind, location, prefix, list] = process.argv.slice(2) as [string, string, string, string];
const tenants = list.split(',');

const wallNow = () => performance.timeOrigin + performance.now();
const send = (message: FleetMessage) => process.send?.(message);

/** Starts the watcher of `kind`; resolves with the function that stops it. */
async function startWatcher(): Promise<() => Promise<void>> {
  if (kind === 'modreg') return startModreg();
  if (kind === 'bare') return startBare();
  throw new Error(`unknown fleet kind "${kind}": modreg or bare`);
}

async function startModreg(): Promise<() => Promise<void>> {
  const modreg = createModreg({
    root: new URL('..', import.meta.url).pathname,
    registry: { modulesDir: 'fixtures/saas' },
    store: prefix === '' ? location : `${location}?prefix=${prefix}`,
    logger: false,
  });
  await modreg.ready();
  for (const tenant of tenants) await modreg.snapshot(tenant);
  modreg.on('change', (event) => {
    send({ tenant: event.tenant, revision: event.revision, at: wallNow() });
  });
  return () => modreg.close();
}

async function startBare(): Promise<() => Promise<void>> {
  const { hostname, port } = new URL(location);
  const connect = async (): Promise<Redis | Cluster> => {
    const probe = new Redis({ host: hostname, port: Number(port) });
    const info = await probe.info('cluster');
    if (!/^cluster_enabled:1\b/m.test(info)) return probe;
    probe.disconnect();
    const cluster = new Cluster([{ host: hostname, port: Number(port) }]);
    await new Promise((resolve) => cluster.once('ready', resolve));
    return cluster;
  };
  const subscriber = await connect();
  const reader = await connect();
  subscriber.on('message', (_channel: string, text: string) => {
    const { tenant } = JSON.parse(text) as { tenant: string };
    reader.hgetall(tenantKeys(prefix, tenant).state).then((state) => {
      send({ tenant, revision: Number(state.revision), at: wallNow() });
    });
  });
  await subscriber.subscribe(`${prefix}changes`);
  return async () => {
    subscriber.disconnect();
    reader.disconnect();
  };
}

const stop = await startWatcher();
// CPU time from here on: what following the store costs this process, idle polls included.
const cpuAtReady = process.cpuUsage();
process.on('message', (message) => {
  if (message !== 'stop') return;
  const { user, system } = process.cpuUsage(cpuAtReady);
  send({ cpuMs: (user + system) / 1000 });
  void stop().finally(() => process.disconnect());
});
send({ ready: true });
