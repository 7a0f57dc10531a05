import { join } from 'node:path';
import { type PlanningRegistry, planEnable } from '../src/planner/index.js';
import { openStore } from '../src/stores/open-store.js';
import type { Store, UpdateRequest, UpdateResult } from '../src/stores/types.js';
import { type Outcome, summarize, timeOnce } from './measure.js';
import { createRandom, type Random, randomInt } from './random.js';
import {
  type Comparison,
  formatMs,
  formatRatio,
  type Goal,
  printGoal,
  printStats,
} from './report.js';
import { shopRegistry, TENANT_MODULES, TOGGLED_MODULE } from './shop-registry.js';
import { withStoreSandbox } from './store-sandbox.js';
import { tenantName, writeJsonTenants, writeRedisTenants } from './tenant-population.js';

/** (d) One `store.update` enabling a module, with 1k, 10k and 100k tenants stored. */
export const storeEnableComparison: Comparison = {
  id: 'store-enable',
  async run() {
    console.log(
      `\n(d) Enable one module for one tenant — store.update applying planEnable("${TOGGLED_MODULE}", --with-deps)`,
    );
    console.log(
      `    to a random stored tenant (it switches on contacts and ${TOGGLED_MODULE}); after each run an untimed`,
    );
    console.log(
      '    update puts the tenant back, so every timed run writes. One store object, as in a server.',
    );
    return withStoreSandbox(async ({ dir, redisUrl }) => {
      const goals = await measureStore({
        name: 'JSON store',
        location: join(dir, 'json-store'),
        goalMs: 10,
        warmup: 20,
        runs: 200,
        populate: (from, to) => writeJsonTenants(join(dir, 'json-store'), from, to),
      });
      if (redisUrl !== undefined) {
        goals.push(
          ...(await measureStore({
            name: 'Redis store',
            location: `${redisUrl}?prefix=${REDIS_PREFIX}`,
            goalMs: 2,
            warmup: 30,
            runs: 300,
            populate: (from, to) => writeRedisTenants(redisUrl, REDIS_PREFIX, from, to),
          })),
        );
      }
      return goals;
    });
  },
};

/** A store to measure, and how to fill it with generated tenants. */
interface StoreUnderTest {
  name: string;
  location: string;
  /** The goal on the median at every size. */
  goalMs: number;
  warmup: number;
  runs: number;
  /** Stores generated tenants `from` … `to - 1` without going through the store. */
  populate(from: number, to: number): Promise<void>;
}

const SIZES = [1_000, 10_000, 100_000] as const;
/** The goal on growth: median at 100,000 tenants ÷ median at 1,000. */
const GROWTH_TARGET = 1.5;
const REDIS_PREFIX = 'bench-enable:';

async function measureStore(target: StoreUnderTest): Promise<Goal[]> {
  console.log(`\n(d) ${target.name} (${target.location})`);
  const registry = shopRegistry();
  const random = createRandom(0xe7ab1e);
  const store = await openStore(target.location);
  const outcomes: Outcome[] = [];
  try {
    let stored = 0;
    for (const size of SIZES) {
      const started = performance.now();
      await target.populate(stored, size);
      const took = performance.now() - started;
      console.log(
        `  stored ${(size - stored).toLocaleString('en-US')} more tenants in ${formatMs(took)}: ${size.toLocaleString('en-US')} in all`,
      );
      stored = size;
      await checkStored(store, size);
      outcomes.push(await timeEnables(store, registry, random, size, target));
    }
  } finally {
    await store.close();
  }
  printStats(outcomes);
  const medians = outcomes.map((o) => (o.ok ? o.stats.median : undefined));
  const first = medians[0];
  const last = medians[medians.length - 1];
  const growth = first === undefined || last === undefined ? undefined : last / first;
  const mediansText = SIZES.map(
    (size, i) => `${shortSize(size)} ${medians[i] === undefined ? 'n/a' : formatMs(medians[i])}`,
  );
  console.log(`  medians: ${mediansText.join(', ')}; 100k ÷ 1k: ${formatRatio(growth)}`);
  const subject = `(d) enable ${TOGGLED_MODULE}, ${target.name}`;
  const goals: Goal[] = SIZES.map((size, i) => ({
    subject,
    figureName: `median, ${size.toLocaleString('en-US')} tenants`,
    figure: medians[i],
    unit: 'ms',
    target: target.goalMs,
  }));
  goals.push({ subject, figureName: 'median 100k ÷ 1k', figure: growth, target: GROWTH_TARGET });
  for (const goal of goals) printGoal(goal);
  return goals;
}

/** Times `runs` enables on random tenants among the first `tenants`, after `warmup` more. */
async function timeEnables(
  store: Store,
  registry: PlanningRegistry,
  random: Random,
  tenants: number,
  target: StoreUnderTest,
): Promise<Outcome> {
  const name = `${tenants.toLocaleString('en-US')} tenants`;
  const times: number[] = [];
  for (let run = 0; run < target.warmup + target.runs; run++) {
    const tenant = tenantName(randomInt(random, tenants));
    const timed = await timeOnce(() => store.update(tenant, enableRequest(registry)));
    if (!timed.ok) return { name, ok: false, reason: timed.reason };
    await putBack(store, tenant, timed.value);
    if (run >= target.warmup) times.push(timed.ms);
  }
  return { name, ok: true, stats: summarize(times) };
}

/** The timed change: what `modreg enable crm --with-deps` asks of the store. */
function enableRequest(registry: PlanningRegistry): UpdateRequest {
  return {
    actor: 'bench',
    operation: `enable ${TOGGLED_MODULE} --with-deps`,
    apply: (current) => planEnable(registry, current, [TOGGLED_MODULE], { withDeps: true }).next,
  };
}

/** Checks the enable switched the module on, then restores the tenant's settings, untimed. */
async function putBack(store: Store, tenant: string, enabled: UpdateResult): Promise<void> {
  const before = enabled.entry?.before;
  if (!enabled.changed || before === undefined) {
    throw new Error(`enabling ${TOGGLED_MODULE} for "${tenant}" wrote nothing`);
  }
  if (!enabled.state.modules.includes(TOGGLED_MODULE)) {
    throw new Error(`enabling ${TOGGLED_MODULE} for "${tenant}" gave ${enabled.state.modules}`);
  }
  await store.update(tenant, {
    actor: 'bench',
    operation: `disable ${TOGGLED_MODULE} contacts`,
    apply: () => before,
  });
}

/** Outside the timing: the store must read the generated tenants as written. */
async function checkStored(store: Store, size: number): Promise<void> {
  for (const tenant of [tenantName(0), tenantName(size - 1)]) {
    const state = await store.read(tenant);
    const expected = TENANT_MODULES.join(',');
    if (state.revision < 1 || state.modules.join(',') !== expected) {
      throw new Error(
        `${store.kind} store read "${tenant}" at revision ${state.revision} with [${state.modules}], not the generated [${expected}]`,
      );
    }
  }
}

function shortSize(size: number): string {
  return size >= 1000 ? `${size / 1000}k` : String(size);
}
