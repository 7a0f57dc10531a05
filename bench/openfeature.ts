import { type Client, InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { ModregProvider } from '../src/openfeature.js';
import { createModreg } from '../src/runtime/create-modreg.js';
import { createTestRegistry } from '../src/runtime/testing.js';
import { createMemoryStore } from '../src/stores/memory.js';
import type { TenantSettings } from '../src/tenant/types.js';
import { measureInterleaved } from './measure.js';
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

/**
 * (i) `client.getBooleanValue` through modreg's provider vs the SDK's own InMemoryProvider
 * holding the same flags, each behind its own client of the same OpenFeature API: the SDK's
 * work (context merging, hooks, details) is the same for both, the providers' differs.
 */
export const openFeatureComparison: Comparison = {
  id: 'openfeature',
  async run() {
    console.log(
      `\n(i) OpenFeature — client.getBooleanValue, ${FLAGS} boolean flags, ${TENANTS.toLocaleString('en-US')} tenants held by modreg;`,
    );
    console.log(
      `    ${BATCH.toLocaleString('en-US')} awaited evaluations of random (tenant, flag) pairs drawn beforehand, each batch timed whole`,
    );
    const random = createRandom(SEED);
    const keys = Array.from({ length: FLAGS }, (_, i) => `shop.flag-${i}`);
    const tenants: Record<string, TenantSettings> = {};
    for (let t = 0; t < TENANTS; t++) {
      const flags = Object.fromEntries(keys.map((key) => [key, random() < 0.5]));
      tenants[`tenant-${t}`] = { modules: ['shop'], flags };
    }
    const store = createMemoryStore({ tenants });
    const modreg = createModreg({
      registry: createTestRegistry([
        {
          name: 'shop',
          flags: Object.fromEntries(keys.map((key) => [key, { type: 'boolean', default: false }])),
        },
      ]),
      store,
      logger: false,
    });
    const memory = new InMemoryProvider(
      Object.fromEntries(
        keys.map((key, i) => [
          key,
          {
            variants: { on: true, off: false },
            defaultVariant: i % 2 === 0 ? 'on' : 'off',
            disabled: false,
          },
        ]),
      ),
    );
    const provider = new ModregProvider(modreg, { waitForSync: true });
    try {
      await OpenFeature.setProviderAndWait(MODREG, provider);
      await OpenFeature.setProviderAndWait(MEMORY, memory);
      return await compare(
        { client: OpenFeature.getClient(MODREG), provider },
        { client: OpenFeature.getClient(MEMORY), provider: memory },
        keys,
        tenants,
        random,
      );
    } finally {
      await OpenFeature.close();
      await modreg.close();
      await store.close();
    }
  },
};

const FLAGS = 20;
const TENANTS = 1_000;
const BATCH = 10_000;
const SEED = 0x0f0f;
const MODREG = 'modreg';
const MEMORY = 'in-memory';
const MODREG_NAME = 'ModregProvider';
const MEMORY_NAME = 'InMemoryProvider (SDK)';
const MODREG_ALONE = 'ModregProvider alone';
const MEMORY_ALONE = 'InMemoryProvider alone';

/** What a provider's boolean resolution takes, called without the SDK's client around it. */
interface BooleanResolver {
  resolveBooleanEvaluation(
    key: string,
    fallback: boolean,
    context: { targetingKey: string },
  ): Promise<{ value: boolean }>;
}

async function compare(
  modregSide: { client: Client; provider: BooleanResolver },
  memorySide: { client: Client; provider: BooleanResolver },
  keys: readonly string[],
  tenants: Readonly<Record<string, TenantSettings>>,
  random: () => number,
): Promise<Goal[]> {
  const names = Object.keys(tenants);
  // One context object per tenant, as a server holds one per request.
  const contexts = names.map((tenant) => ({ targetingKey: tenant }));
  const contextOf = Array.from({ length: BATCH }, () => contexts[randomInt(random, TENANTS)]);
  const keyOf = Array.from({ length: BATCH }, () => keys[randomInt(random, keys.length)] as string);
  const batch = (client: Client) => async () => {
    let on = 0;
    for (let i = 0; i < BATCH; i++) {
      if (await client.getBooleanValue(keyOf[i] as string, false, contextOf[i])) on++;
    }
    return on;
  };
  const alone = (provider: BooleanResolver) => async () => {
    let on = 0;
    for (let i = 0; i < BATCH; i++) {
      const context = contextOf[i] as { targetingKey: string };
      if ((await provider.resolveBooleanEvaluation(keyOf[i] as string, false, context)).value) on++;
    }
    return on;
  };
  await checkAnswers(modregSide.client, memorySide.client, keyOf, contextOf, tenants);
  const outcomes = await measureInterleaved(
    [
      { name: MODREG_NAME, run: batch(modregSide.client) },
      { name: MEMORY_NAME, run: batch(memorySide.client) },
      { name: MODREG_ALONE, run: alone(modregSide.provider) },
      { name: MEMORY_ALONE, run: alone(memorySide.provider) },
    ],
    { warmup: 3, runs: 15 },
  );
  console.log(`  ms per batch of ${BATCH.toLocaleString('en-US')} evaluations:`);
  printStats(outcomes);
  const perCall = (name: string) => {
    const outcome = outcomes.find((o) => o.name === name);
    return outcome?.ok === true ? (outcome.stats.median * 1e6) / BATCH : undefined;
  };
  for (const name of [MODREG_NAME, MEMORY_NAME, MODREG_ALONE, MEMORY_ALONE]) {
    console.log(`  ${name.padEnd(24)} ${formatFigure(perCall(name), 'ns')} per evaluation`);
  }
  const subject = `(i) OpenFeature getBooleanValue, ${TENANTS.toLocaleString('en-US')} tenants × ${FLAGS} flags`;
  const goal: Goal = {
    subject,
    figureName: 'ModregProvider ÷ InMemoryProvider',
    figure: ratioOf(outcomes, MODREG_NAME, MEMORY_NAME),
    target: 1.2,
  };
  console.log(`  ${goal.figureName}: ${formatRatio(goal.figure)}`);
  console.log(
    `  the providers alone (resolveBooleanEvaluation, awaited), modreg ÷ in-memory: ${formatRatio(ratioOf(outcomes, MODREG_ALONE, MEMORY_ALONE))}`,
  );
  printGoal(goal);
  return [
    goal,
    {
      subject,
      figureName: 'ModregProvider, per evaluation',
      figure: perCall(MODREG_NAME),
      unit: 'ns',
    },
    {
      subject,
      figureName: 'InMemoryProvider, per evaluation',
      figure: perCall(MEMORY_NAME),
      unit: 'ns',
    },
  ];
}

/** Outside the timing: each provider answers what it holds, and modreg answers from its cache. */
async function checkAnswers(
  modregClient: Client,
  memoryClient: Client,
  keyOf: readonly string[],
  contextOf: readonly ({ targetingKey: string } | undefined)[],
  tenants: Readonly<Record<string, TenantSettings>>,
): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    const key = keyOf[i] as string;
    const context = contextOf[i] as { targetingKey: string };
    const details = await modregClient.getBooleanDetails(
      key,
      !tenants[context.targetingKey]?.flags[key],
      context,
    );
    if (
      details.value !== tenants[context.targetingKey]?.flags[key] ||
      details.reason !== 'TARGETING_MATCH'
    ) {
      throw new Error(
        `modreg answered ${JSON.stringify(details)} for ${context.targetingKey} ${key}`,
      );
    }
    const held = await memoryClient.getBooleanDetails(key, false, context);
    if (held.reason !== 'STATIC')
      throw new Error(`InMemoryProvider answered ${JSON.stringify(held)}`);
  }
  console.log(
    '  answers checked: modreg serves each tenant its own values, InMemoryProvider its flags',
  );
}
