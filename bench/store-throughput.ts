import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../src/stores/open-store.js';
import { childOutput } from './child-output.js';
import { onInterrupt } from './interrupt.js';
import { type Outcome, summarize } from './measure.js';
import { type Comparison, formatFigure, type Goal, printStats } from './report.js';
import { withStoreSandbox } from './store-sandbox.js';

/** (e) Updates per second of 8 writer processes racing on 64 tenants of one store. */
export const storeThroughputComparison: Comparison = {
  id: 'store-throughput',
  async run() {
    console.log(
      `\n(e) Concurrent throughput — ${WRITERS} writer processes × ${UPDATES} updates on ${TENANTS} shared tenants,`,
    );
    console.log(
      `    each update adding 1 to a flag; ${ROUNDS} rounds per store (stores alternating), a fresh store each round`,
    );
    return withStoreSandbox(async ({ dir, redisUrl }) => {
      const stores: StoreUnderRace[] = [
        { name: 'JSON store', location: (round) => join(dir, `json-store-${round}`) },
      ];
      if (redisUrl !== undefined) {
        stores.push({
          name: 'Redis store',
          location: (round) => `${redisUrl}?prefix=race${round}:`,
        });
      }
      const races = new Map(stores.map((s): [StoreUnderRace, Race[]] => [s, []]));
      for (let round = 0; round < ROUNDS; round++) {
        for (let k = 0; k < stores.length; k++) {
          const target = stores[(round + k) % stores.length] as StoreUnderRace;
          races.get(target)?.push(await race(target.location(round)));
        }
      }
      return report(races);
    });
  },
};

/** A store to race on; each round gets a location of its own. */
interface StoreUnderRace {
  name: string;
  location(round: number): string;
}

/** What one round gave: spawn-to-exit wall time, and each writer's own time. */
interface Race {
  wallMs: number;
  writerMs: number[];
}

const WRITERS = 8;
const UPDATES = 200;
const TENANTS = 64;
const ROUNDS = 5;
const OPERATIONS = WRITERS * UPDATES;
const WRITER_SCRIPT = fileURLToPath(new URL('./store-writer.mjs', import.meta.url));
/** The writers start as a user's shell starts them: without the options tsx or a user set. */
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS'),
);

function report(races: ReadonlyMap<StoreUnderRace, Race[]>): Goal[] {
  const wall: Outcome[] = [];
  const inside: Outcome[] = [];
  for (const [target, rounds] of races) {
    wall.push({ name: target.name, ok: true, stats: summarize(rounds.map((r) => r.wallMs)) });
    const writerMs = rounds.flatMap((r) => r.writerMs);
    inside.push({ name: target.name, ok: true, stats: summarize(writerMs) });
  }
  console.log(
    `\n  Wall time of a round, from spawning the ${WRITERS} writers to the last one exiting`,
  );
  console.log('  (Node start-up, loading dist/ and opening the store in each writer included):');
  printStats(wall);
  console.log(
    `  Each writer's own time for its ${UPDATES} updates, first to last (${ROUNDS} × ${WRITERS} writers):`,
  );
  printStats(inside);
  const goals: Goal[] = [];
  for (const [target, rounds] of races) {
    const wallRate = OPERATIONS / (median(rounds.map((r) => r.wallMs)) / 1000);
    // Per round, the writers' rates added up: the store's rate while all of them run.
    const insideRate = median(
      rounds.map((r) => r.writerMs.reduce((sum, ms) => sum + UPDATES / (ms / 1000), 0)),
    );
    console.log(
      `  ${target.name}: ${formatFigure(wallRate, 'ops/s')} in all (${OPERATIONS.toLocaleString('en-US')} updates ÷ median wall time, start-up included); ${formatFigure(insideRate, 'ops/s')} inside the writers (sum of each writer's updates ÷ its own time, median round)`,
    );
    const subject = `(e) ${WRITERS} processes × ${UPDATES} updates, ${target.name}`;
    goals.push(
      { subject, figureName: 'wall, start-up included', figure: wallRate, unit: 'ops/s' },
      { subject, figureName: 'inside the writers', figure: insideRate, unit: 'ops/s' },
    );
  }
  console.log('  No goal: information only.');
  return goals;
}

/** Runs the writers against `location` at once, then checks that no update was lost. */
async function race(location: string): Promise<Race> {
  const started = performance.now();
  const writers = Array.from({ length: WRITERS }, (_, writer) => startWriter(location, writer));
  const stopKilling = onInterrupt(() => {
    for (const { child } of writers) child.kill('SIGKILL');
  });
  try {
    const writerMs = await Promise.all(writers.map(({ reported }) => reported));
    const wallMs = performance.now() - started;
    await checkCounts(location);
    return { wallMs, writerMs };
  } finally {
    stopKilling();
  }
}

/** Spawns one writer; `reported` resolves with the time it prints when it exits. */
function startWriter(location: string, writer: number) {
  const args = [WRITER_SCRIPT, location, String(writer), String(UPDATES), String(TENANTS)];
  const child = spawn(process.execPath, args, {
    env: CHILD_ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const reported = childOutput(child).then(({ code, signal, stdout, stderr }) => {
    const ms = code === 0 ? writerTime(stdout) : undefined;
    if (ms === undefined)
      throw new Error(`writer ${writer} exited (${signal ?? code}): ${stderr || stdout}`);
    return ms;
  });
  return { child, reported };
}

function writerTime(stdout: string): number | undefined {
  try {
    const { updates, ms } = JSON.parse(stdout) as { updates: number; ms: number };
    return updates === UPDATES && ms > 0 ? ms : undefined;
  } catch {
    return undefined;
  }
}

/** Outside the timing: every tenant's count adds up to every update made. */
async function checkCounts(location: string): Promise<void> {
  const store = await openStore(location);
  try {
    let total = 0;
    for (let t = 0; t < TENANTS; t++) {
      total += Number((await store.read(`t${t}`)).flags.count ?? 0);
    }
    if (total !== OPERATIONS) {
      throw new Error(`${store.kind} store counted ${total} updates, not ${OPERATIONS}`);
    }
  } finally {
    await store.close();
  }
}

function median(values: readonly number[]): number {
  return summarize(values).median;
}
