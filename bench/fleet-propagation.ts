import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { openStore } from '../src/stores/open-store.js';
import { startRedisCluster } from '../test/helpers/redis-cluster-process.js';
import { seededTenant, seedTenants } from '../test/stores/redis-seed.js';
import { startFleet } from './fleet.js';
import {
  BURST_CHANGES,
  CHANGES,
  type ChangePlan,
  type Contender,
  type FleetFigures,
  measureFleets,
  percentile,
  printFleet,
} from './fleet-measure.js';
import { onInterrupt } from './interrupt.js';
import { type Comparison, type Goal, printGoal } from './report.js';
import { withStoreSandbox } from './store-sandbox.js';

/** (l) Propagation to a fleet: 8 processes on one store, each told of a change elsewhere. */
export const fleetPropagationComparison: Comparison = {
  id: 'fleet-propagation',
  async run() {
    console.log(
      `\n(l) Propagation to ${FLEET} processes — ${FLEET} processes on one store, each holding the changed tenants,`,
    );
    console.log(
      `    and a changer (this process). ${CHANGES} changes one at a time, each timed from the changer's update()`,
    );
    console.log(
      `    call until all ${FLEET} processes reported holding it over IPC (wall-clock stamps); then bursts of`,
    );
    console.log(
      `    ${BURST_CHANGES} changes back to back on ${PLAN.burstTenants.length} tenants, after which every process must hold each one's last revision.`,
    );
    console.log(
      `    Redis: ${STORED.toLocaleString('en-US')} tenants stored; beside ${FLEET} modreg instances, ${FLEET} bare ioredis subscribers doing one`,
    );
    console.log(
      '    HGETALL of the tenant per message, each fleet on a store of its own in the same server (so a change',
    );
    console.log('    wakes only the fleet timed), both running, taking turns change by change.');
    return withStoreSandbox(async ({ dir, redisUrl }) => {
      const goals: Goal[] = [];
      if (redisUrl !== undefined) {
        goals.push(...(await compareOnRedis('Redis', redisUrl)));
        console.log(`\n  starting a 3-master Redis Cluster…`);
        const cluster = await startRedisCluster();
        const stopKilling = onInterrupt(() => void cluster.stop());
        try {
          goals.push(...(await compareOnRedis('Redis Cluster', cluster.url)));
        } finally {
          stopKilling();
          await cluster.stop();
        }
      }
      goals.push(...(await measureJson(join(dir, 'json-fleet'))));
      return goals;
    });
  },
};

const FLEET = 8;
const STORED = 100_000;
const PREFIX = 'bench-fleet:';
const BARE_PREFIX = 'bench-fleet-bare:';
const PLAN: ChangePlan = {
  tenants: Array.from({ length: 50 }, (_, i) => seededTenant(i * 1999)),
  burstTenants: Array.from({ length: 5 }, (_, i) => seededTenant(i * 1999 + 1)),
  timeoutMs: 2000,
};
/** The goal on the modreg fleet's p99 as a multiple of the bare fleet's. */
const RATIO_GOAL = 1.5;
const JSON_GOAL_MS = 200;

async function compareOnRedis(name: string, url: string): Promise<Goal[]> {
  console.log(`\n(l) ${name} (${url}), ${STORED.toLocaleString('en-US')} tenants stored`);
  // Each fleet on a store of its own in the same server: a change wakes only the fleet timed.
  await seed(url, BARE_PREFIX);
  await seed(url, PREFIX);
  const [bare, modreg] = (await measure([
    { kind: 'bare', location: url, prefix: BARE_PREFIX },
    { kind: 'modreg', location: url, prefix: PREFIX },
  ])) as [FleetFigures, FleetFigures];
  printFleet(`bare ioredis × ${FLEET}`, bare);
  printFleet(`modreg × ${FLEET}`, modreg);
  const p99 = (figures: FleetFigures) => percentile(figures.allSeenMs, 0.99);
  const subject = `(l) propagation to ${FLEET} processes, ${name}`;
  return fleetGoals(
    subject,
    modreg,
    { figureName: `p99 (bare ioredis: ${p99(bare).toFixed(1)} ms)` },
    [
      {
        subject,
        figureName: 'p99 modreg ÷ p99 bare ioredis',
        figure: p99(modreg) / p99(bare),
        target: RATIO_GOAL,
      },
    ],
  );
}

async function measureJson(dir: string): Promise<Goal[]> {
  console.log(`\n(l) JSON store (${dir}), the changed tenants stored`);
  const changer = await openStore(dir);
  try {
    for (const tenant of [...PLAN.tenants, ...PLAN.burstTenants]) {
      await changer.update(tenant, {
        actor: 'bench',
        operation: 'create',
        apply: () => ({ modules: ['billing', 'users'], flags: {} }),
      });
    }
  } finally {
    await changer.close();
  }
  const [figures] = (await measure([{ kind: 'modreg', location: dir, prefix: '' }], 3000)) as [
    FleetFigures,
  ];
  printFleet(`modreg × ${FLEET}`, figures);
  const subject = `(l) propagation to ${FLEET} processes, JSON store`;
  return fleetGoals(subject, figures, {
    figureName: `p99, update() → all ${FLEET} hold it`,
    target: JSON_GOAL_MS,
  });
}

/**
 * A fleet's p50, p99 (named, with its goal if any), max, then `compared` (against another
 * fleet) and the lost changes; those with a goal are printed.
 */
function fleetGoals(
  subject: string,
  figures: FleetFigures,
  p99: { figureName: string; target?: number },
  compared: Goal[] = [],
): Goal[] {
  const at = (q: number) => percentile(figures.allSeenMs, q);
  const goals: Goal[] = [
    { subject, figureName: `p50, update() → all ${FLEET} hold it`, figure: at(0.5), unit: 'ms' },
    { subject, ...p99, figure: at(0.99), unit: 'ms' },
    { subject, figureName: 'max', figure: at(1), unit: 'ms' },
    ...compared,
    lostGoal(subject, figures),
  ];
  for (const goal of goals.filter((g) => g.target !== undefined)) printGoal(goal);
  return goals;
}

/** A fleet to start on a store. */
interface FleetOnStore {
  kind: 'modreg' | 'bare';
  location: string;
  /** The Redis key prefix; '' for a JSON store. */
  prefix: string;
}

/** Starts the fleets, measures them side by side, each with a changer of its own, and stops them. */
async function measure(
  targets: readonly FleetOnStore[],
  timeoutMs = PLAN.timeoutMs,
): Promise<FleetFigures[]> {
  const tenants = [...PLAN.tenants, ...PLAN.burstTenants];
  const contenders: Contender[] = [];
  const stopAll = async () => {
    const cpu: number[][] = [];
    for (const { changer, fleet } of contenders.splice(0)) {
      await changer.close();
      cpu.push(await fleet.stop());
    }
    return cpu;
  };
  try {
    for (const { kind, location, prefix } of targets) {
      const changer = await openStore(prefix === '' ? location : `${location}?prefix=${prefix}`);
      try {
        const fleet = await startFleet({ kind, size: FLEET, location, prefix, tenants });
        contenders.push({ changer, fleet });
      } catch (error) {
        await changer.close();
        throw error;
      }
    }
    const figures = await measureFleets(contenders, { ...PLAN, timeoutMs });
    for (const [i, cpu] of (await stopAll()).entries()) {
      const run = figures[i] as FleetFigures;
      run.cpuPerChangeMs = cpu.reduce((sum, ms) => sum + ms, 0) / cpu.length / run.changes;
    }
    return figures;
  } finally {
    await stopAll();
  }
}

function lostGoal(subject: string, figures: FleetFigures): Goal {
  return {
    subject,
    figureName: `lost (${figures.allSeenMs.length} changes, bursts of ${BURST_CHANGES})`,
    figure: figures.lostChanges + figures.lostInBursts,
    unit: 'lost',
    target: 0,
  };
}

/** Writes the stored tenants straight into the store's keys, in pipelines. */
async function seed(url: string, prefix: string): Promise<void> {
  const { hostname, port } = new URL(url);
  const probe = new Redis({ host: hostname, port: Number(port) });
  const clustered = /^cluster_enabled:1\b/m.test(await probe.info('cluster'));
  const client = clustered ? new Cluster([{ host: hostname, port: Number(port) }]) : probe;
  if (clustered) probe.disconnect();
  const started = performance.now();
  try {
    await seedTenants(client, prefix, STORED);
  } finally {
    client.disconnect();
  }
  console.log(`  ${prefix} seeded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
