import { Redis } from 'ioredis';
import { createModreg } from '../src/runtime/create-modreg.js';
import { tenantKeys } from '../src/stores/redis-keys.js';
import { measureInterleaved } from './measure.js';
import { type Comparison, type Goal, printGoal, printStats, ratioOf } from './report.js';
import { shopRegistryFile } from './shop-registry.js';
import { withStoreSandbox } from './store-sandbox.js';
import { tenantName, writeRedisTenants } from './tenant-population.js';

/** (m) `synced()`: every stored tenant read into the cache, against the bare reads it needs. */
export const runtimeSyncedComparison: Comparison = {
  id: 'runtime-synced',
  async run() {
    console.log(
      `\n(m) synced() over ${TENANTS.toLocaleString('en-US')} tenants in Redis — a ready createModreg instance reading every stored`,
    );
    console.log(
      '    tenant into its (emptied) cache: listing the shards and reading state hashes in batches, each',
    );
    console.log(
      `    parsed into a snapshot; against a bare ioredis client pipelining HGETALL of the same keys in`,
    );
    console.log(
      `    batches of ${BARE_BATCH.toLocaleString('en-US')}, one batch after the other, keys known beforehand, replies not parsed.`,
    );
    return withStoreSandbox(async ({ redisUrl }) => {
      if (redisUrl === undefined) return [];
      await writeRedisTenants(redisUrl, PREFIX, 0, TENANTS);
      return compare(redisUrl);
    });
  },
};

const TENANTS = 100_000;
const PREFIX = 'bench-synced:';
const BARE_BATCH = 1000;
const GOAL = 1.5;

async function compare(url: string): Promise<Goal[]> {
  const modreg = createModreg({
    registry: shopRegistryFile(),
    store: `${url}?prefix=${PREFIX}`,
    logger: false,
  });
  const client = new Redis(url, { lazyConnect: true });
  try {
    await modreg.ready();
    await client.connect();
    const keys = Array.from({ length: TENANTS }, (_, i) => tenantKeys(PREFIX, tenantName(i)).state);
    const outcomes = await measureInterleaved(
      [
        {
          name: 'modreg synced()',
          async run() {
            await modreg.synced();
            const cached = modreg.stats().tenantsCached;
            if (cached !== TENANTS) throw new Error(`synced() cached ${cached} tenants`);
            modreg.invalidateAll();
          },
        },
        { name: 'bare pipelined HGETALL', run: () => readAll(client, keys) },
      ],
      { warmup: 1, runs: 5, limitMs: 60_000 },
    );
    printStats(outcomes);
    const goal: Goal = {
      subject: `(m) synced(), ${TENANTS.toLocaleString('en-US')} tenants in Redis`,
      figureName: 'synced() ÷ bare pipelined HGETALL',
      figure: ratioOf(outcomes, 'modreg synced()', 'bare pipelined HGETALL'),
      target: GOAL,
    };
    printGoal(goal);
    const median = outcomes.find((o) => o.name === 'modreg synced()');
    return [
      {
        subject: goal.subject,
        figureName: 'synced() median',
        figure: median?.ok === true ? median.stats.median : undefined,
        unit: 'ms',
      },
      goal,
    ];
  } finally {
    client.disconnect();
    await modreg.close();
  }
}

/** HGETALL of every key, {@link BARE_BATCH} to a pipeline, one pipeline at a time. */
async function readAll(client: Redis, keys: readonly string[]): Promise<void> {
  for (let start = 0; start < keys.length; start += BARE_BATCH) {
    const pipeline = client.pipeline();
    for (const key of keys.slice(start, start + BARE_BATCH)) pipeline.hgetall(key);
    const replies = (await pipeline.exec()) ?? [];
    const failed = replies.find(([error]) => error !== null);
    if (failed) throw new Error(`HGETALL failed: ${failed[0]?.message}`);
  }
}
