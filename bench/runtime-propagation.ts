import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createModreg } from '../src/runtime/create-modreg.js';
import type { Modreg } from '../src/runtime/modreg.js';
import type { ChangeEvent } from '../src/runtime/types.js';
import { openStore } from '../src/stores/open-store.js';
import { type Comparison, formatMs, type Goal, printGoal } from './report.js';
import { SEQUENCE_FLAG, setSequence } from './sequence-change.js';
import { withStoreSandbox } from './store-sandbox.js';

/** (g) From a change written elsewhere to a running instance emitting `change` for it. */
export const runtimePropagationComparison: Comparison = {
  id: 'runtime-propagation',
  async run() {
    console.log(
      '\n(g) Propagation — a running createModreg instance (registry: fixtures/saas, every tenant cached)',
    );
    console.log(
      '    and a changer: a second Store from openStore(same location) in this process, with its own',
    );
    console.log(
      `    connection / directory watcher. ${CHANGES} changes (after ${WARMUP} untimed), one at a time over ${TENANTS} tenants,`,
    );
    console.log(
      '    each setting a flag; timed from the changer calling store.update() until the instance emits',
    );
    console.log(
      '    "change" with that revision, the store write included. A change not seen in time is lost.',
    );
    return withStoreSandbox(async ({ dir, redisUrl }) => {
      const goals: Goal[] = [];
      if (redisUrl !== undefined) {
        goals.push(
          ...(await measureStore({
            name: 'Redis store',
            location: `${redisUrl}?prefix=bench-propagation:`,
            goalMs: 20,
            timeoutMs: 1000,
          })),
        );
      }
      goals.push(
        ...(await measureStore({
          name: 'JSON store',
          location: join(dir, 'json-propagation'),
          goalMs: 200,
          timeoutMs: 2000,
        })),
      );
      return goals;
    });
  },
};

/** A store to watch changes through. */
interface StoreUnderTest {
  name: string;
  location: string;
  /** The goal on the 99th percentile. */
  goalMs: number;
  /** How long to wait for one change before counting it lost. */
  timeoutMs: number;
}

/** Times of one change, relative to the changer calling `store.update()`. */
interface Propagation {
  /** Until the instance emitted `change`; undefined when it did not in time. */
  seenMs: number | undefined;
  /** Until `store.update()` resolved in the changer. */
  updateMs: number;
}

const REPO = fileURLToPath(new URL('..', import.meta.url));
const TENANTS = 10;
const WARMUP = 20;
const CHANGES = 300;
/** Lost changes after which a store is given up on: its notifications do not arrive. */
const MAX_LOST = 10;

async function measureStore(target: StoreUnderTest): Promise<Goal[]> {
  console.log(`\n(g) ${target.name} (${target.location})`);
  const tenants = Array.from({ length: TENANTS }, (_, i) => `propagation-${i}`);
  const changer = await openStore(target.location);
  let modreg: Modreg | undefined;
  try {
    for (const tenant of tenants) await changer.update(tenant, setSequence(0));
    modreg = createModreg({
      root: REPO,
      registry: { modulesDir: 'fixtures/saas' },
      store: target.location,
    });
    await modreg.ready();
    for (const tenant of tenants) await modreg.snapshot(tenant);
    const changes = watchChanges(modreg);
    const timed: Propagation[] = [];
    for (let sequence = 1; sequence <= WARMUP + CHANGES; sequence++) {
      const tenant = tenants[sequence % TENANTS] as string;
      const started = performance.now();
      const { state } = await changer.update(tenant, setSequence(sequence));
      const updateMs = performance.now() - started;
      const seenAt = await changes.seen(tenant, state.revision, target.timeoutMs);
      if (seenAt !== undefined && modreg.peek(tenant)?.flag(SEQUENCE_FLAG) !== sequence) {
        throw new Error(
          `the instance emitted revision ${state.revision} of "${tenant}" but holds another`,
        );
      }
      if (sequence > WARMUP) {
        timed.push({ seenMs: seenAt === undefined ? undefined : seenAt - started, updateMs });
      }
      if (timed.filter((p) => p.seenMs === undefined).length >= MAX_LOST) {
        console.log(`  ${MAX_LOST} changes lost: giving up on this store after ${timed.length}.`);
        break;
      }
    }
    return report(target, timed);
  } finally {
    await modreg?.close();
    await changer.close();
  }
}

/**
 * Records when the instance emits `change` for each tenant. A notification may arrive before
 * the changer's update() resolves, so what was emitted is kept, not only awaited.
 */
function watchChanges(modreg: Modreg) {
  const latest = new Map<string, { revision: number; at: number }>();
  let waiting: { tenant: string; revision: number; resolve: (at: number) => void } | undefined;
  modreg.on('change', (event: ChangeEvent) => {
    const at = performance.now();
    latest.set(event.tenant, { revision: event.revision, at });
    if (waiting?.tenant === event.tenant && event.revision >= waiting.revision) {
      waiting.resolve(at);
    }
  });
  return {
    /** When revision `revision` of `tenant` (or a newer one) was emitted; undefined on timeout. */
    seen(tenant: string, revision: number, timeoutMs: number): Promise<number | undefined> {
      const emitted = latest.get(tenant);
      if (emitted !== undefined && emitted.revision >= revision) return Promise.resolve(emitted.at);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          resolve(undefined);
        }, timeoutMs);
        waiting = {
          tenant,
          revision,
          resolve: (at) => {
            clearTimeout(timer);
            waiting = undefined;
            resolve(at);
          },
        };
      });
    },
  };
}

function report(target: StoreUnderTest, timed: readonly Propagation[]): Goal[] {
  const lost = timed.filter((p) => p.seenMs === undefined).length;
  // A lost change counts as the timeout: a lower bound on how late it is.
  const seen = timed.map((p) => p.seenMs ?? target.timeoutMs);
  const afterUpdate = timed.flatMap((p) => (p.seenMs === undefined ? [] : [p.seenMs - p.updateMs]));
  const line = (label: string, values: readonly number[]) => {
    const at = (q: number) => formatMs(percentile(values, q));
    console.log(
      `  ${label.padEnd(40)} p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  max ${at(1)}`,
    );
  };
  line('update() called → change event', seen);
  line('update() resolved → change event', afterUpdate);
  line(
    'store.update() itself, in the changer',
    timed.map((p) => p.updateMs),
  );
  console.log(
    `  lost: ${lost} of ${timed.length} changes (each waited for ${formatMs(target.timeoutMs)}); negative times: the notification beat the writer's reply`,
  );
  const subject = `(g) propagation, ${target.name}`;
  const counted = `${timed.length - lost} of ${timed.length} seen`;
  const goal: Goal = {
    subject,
    figureName: `p99, update() → change (${counted})`,
    figure: timed.length === 0 ? undefined : percentile(seen, 0.99),
    unit: 'ms',
    target: target.goalMs,
  };
  printGoal(goal);
  return [
    {
      subject,
      figureName: 'p50, update() → change',
      figure: timed.length === 0 ? undefined : percentile(seen, 0.5),
      unit: 'ms',
    },
    goal,
  ];
}

/** Nearest-rank percentile `q` of `values`. */
function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}
