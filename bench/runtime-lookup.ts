import { createModreg } from '../src/runtime/create-modreg.js';
import type { Modreg } from '../src/runtime/modreg.js';
import type { TenantSnapshot } from '../src/runtime/types.js';
import { createMemoryStore } from '../src/stores/memory.js';
import { measureInterleaved, type Outcome } from './measure.js';
import { createRandom, randomInt } from './random.js';
import {
  type Comparison,
  formatFigure,
  formatRatio,
  type Goal,
  printGoal,
  printStats,
  ratioOf,
} from './report.js';
import {
  ENABLED_PER_TENANT,
  generatedRegistry,
  generatedTenants,
  MODULE_COUNT,
  MODULE_NAMES,
  runtimeTenantName,
} from './runtime-tenants.js';

/** (f) A warm `isModuleEnabled` vs a bare Map of Sets over the same tenants. */
export const runtimeLookupComparison: Comparison = {
  id: 'runtime-lookup',
  async run() {
    console.log(
      `\n(f) Warm lookup — ${TENANTS.toLocaleString('en-US')} tenants cached, a registry of ${MODULE_COUNT} modules, ${ENABLED_PER_TENANT} on per tenant;`,
    );
    console.log(
      `    ${BATCH.toLocaleString('en-US')} random (tenant, module) pairs drawn beforehand (about half on), each batch timed whole`,
    );
    const tenants = generatedTenants(TENANTS, SEED);
    const store = createMemoryStore({ tenants });
    const modreg = createModreg({ registry: generatedRegistry(), store });
    try {
      await modreg.ready();
      const bare = new Map<string, Set<string>>();
      for (const [tenant, settings] of Object.entries(tenants)) {
        await modreg.snapshot(tenant);
        bare.set(tenant, new Set(settings.modules));
      }
      return await compare(modreg, bare);
    } finally {
      await modreg.close();
      await store.close();
    }
  },
};

const TENANTS = 1_000;
const BATCH = 1_000_000;
const ASYNC_BATCH = 100_000;
const SEED = 0x100c;
const BARE = 'bare Map.get + Set.has';
const PEEK = 'modreg.peek(t).isModuleEnabled(m)';
const IN_HAND = 'snapshot.isModuleEnabled(m), in hand';
const SET_IN_HAND = 'Set.has(m), Set in hand';
const ASYNC = 'await modreg.isModuleEnabled(t, m)';

async function compare(modreg: Modreg, bare: ReadonlyMap<string, Set<string>>): Promise<Goal[]> {
  const random = createRandom(SEED + 1);
  // One string per tenant, as a server holding its tenant ids would: a million distinct
  // strings would time cache misses on the strings more than either lookup.
  const tenantIds = Array.from({ length: TENANTS }, (_, i) => runtimeTenantName(i));
  const tenantOf = Array.from(
    { length: BATCH },
    () => tenantIds[randomInt(random, TENANTS)] as string,
  );
  const moduleOf = Array.from(
    { length: BATCH },
    () => MODULE_NAMES[randomInt(random, MODULE_COUNT)] as string,
  );
  const snapshotOf = tenantOf.map((tenant) => modreg.peek(tenant) as TenantSnapshot);
  const setOf = tenantOf.map((tenant) => bare.get(tenant) as Set<string>);
  const contenders = [
    {
      name: BARE,
      run: () => {
        let on = 0;
        for (let i = 0; i < BATCH; i++) {
          if ((bare.get(tenantOf[i] as string) as Set<string>).has(moduleOf[i] as string)) on++;
        }
        return on;
      },
    },
    {
      name: PEEK,
      run: () => {
        let on = 0;
        for (let i = 0; i < BATCH; i++) {
          const snapshot = modreg.peek(tenantOf[i] as string) as TenantSnapshot;
          if (snapshot.isModuleEnabled(moduleOf[i] as string)) on++;
        }
        return on;
      },
    },
    {
      name: IN_HAND,
      run: () => {
        let on = 0;
        for (let i = 0; i < BATCH; i++) {
          if ((snapshotOf[i] as TenantSnapshot).isModuleEnabled(moduleOf[i] as string)) on++;
        }
        return on;
      },
    },
    {
      name: SET_IN_HAND,
      run: () => {
        let on = 0;
        for (let i = 0; i < BATCH; i++)
          if ((setOf[i] as Set<string>).has(moduleOf[i] as string)) on++;
        return on;
      },
    },
  ];
  const asyncLookups = async () => {
    let on = 0;
    for (let i = 0; i < ASYNC_BATCH; i++) {
      if (await modreg.isModuleEnabled(tenantOf[i] as string, moduleOf[i] as string)) on++;
    }
    return on;
  };
  let asyncExpected = 0;
  for (let i = 0; i < ASYNC_BATCH; i++) {
    if ((setOf[i] as Set<string>).has(moduleOf[i] as string)) asyncExpected++;
  }
  await checkAnswers(contenders, asyncLookups, asyncExpected);
  const outcomes = await measureInterleaved(contenders, { warmup: 3, runs: 15 });
  console.log(`  ms per batch of ${BATCH.toLocaleString('en-US')} lookups:`);
  printStats(outcomes);
  const [asyncOutcome] = await measureInterleaved([{ name: ASYNC, run: asyncLookups }], {
    warmup: 2,
    runs: 10,
  });
  console.log(`  ms per batch of ${ASYNC_BATCH.toLocaleString('en-US')} awaited lookups:`);
  printStats(asyncOutcome === undefined ? [] : [asyncOutcome]);
  const perLookup = (name: string, outcome = outcomes.find((o) => o.name === name)) =>
    nsPerLookup(outcome, name === ASYNC ? ASYNC_BATCH : BATCH);
  for (const name of [BARE, PEEK, IN_HAND, SET_IN_HAND]) {
    console.log(`  ${name.padEnd(38)} ${formatFigure(perLookup(name), 'ns')} per lookup`);
  }
  console.log(
    `  ${ASYNC.padEnd(38)} ${formatFigure(perLookup(ASYNC, asyncOutcome), 'ns')} per call (a fresh cache hit; TTL checked)`,
  );
  console.log(
    `  in hand: snapshot.isModuleEnabled ÷ Set.has: ${formatRatio(ratioOf(outcomes, IN_HAND, SET_IN_HAND))}`,
  );
  const subject = `(f) warm lookup, ${TENANTS.toLocaleString('en-US')} tenants × ${MODULE_COUNT} modules`;
  const goal: Goal = {
    subject,
    figureName: 'peek + isModuleEnabled ÷ Map.get + Set.has',
    figure: ratioOf(outcomes, PEEK, BARE),
    target: 2,
  };
  console.log(`  ${goal.figureName}: ${formatRatio(goal.figure)}`);
  printGoal(goal);
  const info = (figureName: string, figure: number | undefined): Goal => ({
    subject,
    figureName,
    figure,
    unit: 'ns',
  });
  return [
    goal,
    info('modreg.peek(t).isModuleEnabled(m)', perLookup(PEEK)),
    info('bare Map.get(t).has(m)', perLookup(BARE)),
    info('snapshot.isModuleEnabled(m), in hand', perLookup(IN_HAND)),
    info('await modreg.isModuleEnabled(t, m)', perLookup(ASYNC, asyncOutcome)),
  ];
}

/** Median time of a batch divided by its lookups, in nanoseconds. */
function nsPerLookup(outcome: Outcome | undefined, lookups: number): number | undefined {
  return outcome?.ok === true ? (outcome.stats.median * 1e6) / lookups : undefined;
}

/** Outside the timing: every contender must give the same answers as the bare Map of Sets. */
async function checkAnswers(
  contenders: readonly { name: string; run: () => number }[],
  asyncLookups: () => Promise<number>,
  asyncExpected: number,
): Promise<void> {
  const counts = contenders.map((c) => c.run());
  const [expected] = counts;
  if (counts.some((count) => count !== expected)) {
    const named = contenders.map((c, i) => `${c.name}: ${counts[i]}`);
    throw new Error(`the contenders disagree on how many lookups are on: ${named.join(', ')}`);
  }
  const asyncCount = await asyncLookups();
  if (asyncCount !== asyncExpected) {
    throw new Error(`${ASYNC} found ${asyncCount} lookups on, the bare Map ${asyncExpected}`);
  }
  console.log(
    `  answers checked: every contender finds ${(expected ?? 0).toLocaleString('en-US')} of ${BATCH.toLocaleString('en-US')} lookups on`,
  );
}
