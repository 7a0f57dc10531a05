import type { Store } from '../src/stores/types.js';
import type { Fleet } from './fleet.js';
import { formatMs } from './report.js';
import { setSequence } from './sequence-change.js';

/** What one fleet made of the changes: times until every process held each one. */
export interface FleetFigures {
  /** Per timed change, ms from the changer's update() call until the last process held it. */
  allSeenMs: number[];
  /** Per timed change and process, the same until that process held it. */
  eachSeenMs: number[];
  /** Changes (one at a time) some process did not hold in time. */
  lostChanges: number;
  /** Burst tenants × processes that did not come to hold the burst's last revision. */
  lostInBursts: number;
  /** Per burst, ms from its first update() call until every process held its last revisions. */
  burstMs: number[];
  /** Mean CPU ms a process used per change (every change, bursts included; idle polls too). */
  cpuPerChangeMs: number;
  /** Changes made, warm-up and bursts included. */
  changes: number;
}

/** How the changes are made. */
export interface ChangePlan {
  /** Tenants changed one at a time, in turn. */
  tenants: readonly string[];
  /** Tenants changed back to back in each burst. */
  burstTenants: readonly string[];
  /** How long a change may take to reach every process before it counts as lost. */
  timeoutMs: number;
}

export const WARMUP = 20;
export const CHANGES = 300;
export const BURSTS = 3;
export const BURST_CHANGES = 50;
/** Lost changes after which a fleet is given up on: its notifications do not arrive. */
const MAX_LOST = 10;

/** A fleet and the changer of its store. */
export interface Contender {
  changer: Store;
  fleet: Fleet;
}

/**
 * Changes tenants through each contender's changer, one at a time, each timed from the
 * update() call until every process of its fleet reported holding it; the contenders take
 * turns change by change (in alternating order), so a load that comes and goes on the machine
 * falls on all of them alike. Then, per contender, bursts of {@link BURST_CHANGES} updates back
 * to back over the burst tenants, after which every process must hold each one's last.
 */
export async function measureFleets(
  contenders: readonly Contender[],
  plan: ChangePlan,
): Promise<FleetFigures[]> {
  const runs = contenders.map(startRun);
  for (let i = 0; i < WARMUP + CHANGES; i++) {
    const tenant = plan.tenants[i % plan.tenants.length] as string;
    const order = i % 2 === 0 ? runs : [...runs].reverse();
    for (const run of order) {
      if (run.figures.lostChanges < MAX_LOST) await run.timeOne(tenant, plan, i >= WARMUP);
    }
  }
  for (const run of runs) {
    for (let burst = 0; burst < BURSTS; burst++) await run.burst(plan);
  }
  return runs.map((run) => run.figures);
}

/** One contender's changes and what its fleet made of them. */
function startRun({ changer, fleet }: Contender) {
  const figures: FleetFigures = {
    allSeenMs: [],
    eachSeenMs: [],
    lostChanges: 0,
    lostInBursts: 0,
    burstMs: [],
    cpuPerChangeMs: Number.NaN,
    changes: 0,
  };
  const change = async (tenant: string) =>
    (await changer.update(tenant, setSequence(++figures.changes))).state.revision;
  return {
    figures,
    async timeOne(tenant: string, plan: ChangePlan, timed: boolean) {
      const started = wallNow();
      const revision = await change(tenant);
      const seen = await fleet.seen(tenant, revision, plan.timeoutMs);
      if (!timed) return;
      if (seen.some((at) => at === undefined)) {
        figures.lostChanges++;
        figures.allSeenMs.push(plan.timeoutMs);
        if (figures.lostChanges >= MAX_LOST) {
          console.log(`    ${MAX_LOST} changes lost: giving up on this fleet.`);
        }
        return;
      }
      const times = (seen as number[]).map((at) => at - started);
      figures.eachSeenMs.push(...times);
      figures.allSeenMs.push(Math.max(...times));
    },
    async burst(plan: ChangePlan) {
      const started = wallNow();
      const last = new Map<string, number>();
      for (let i = 0; i < BURST_CHANGES; i++) {
        const tenant = plan.burstTenants[i % plan.burstTenants.length] as string;
        last.set(tenant, await change(tenant));
      }
      const seen = await Promise.all(
        [...last].map(([tenant, revision]) => fleet.seen(tenant, revision, plan.timeoutMs * 2)),
      );
      const times = seen.flat();
      figures.lostInBursts += times.filter((at) => at === undefined).length;
      const held = times.filter((at): at is number => at !== undefined);
      if (held.length === times.length) figures.burstMs.push(Math.max(...held) - started);
    },
  };
}

/** Prints a fleet's figures, one line each. */
export function printFleet(name: string, figures: FleetFigures): void {
  const line = (label: string, values: readonly number[]) => {
    const at = (q: number) => formatMs(percentile(values, q));
    console.log(
      `  ${name.padEnd(22)} ${label.padEnd(18)} p50 ${at(0.5)}  p90 ${at(0.9)}  p99 ${at(0.99)}  max ${at(1)}`,
    );
  };
  line('every process', figures.allSeenMs);
  line('each process', figures.eachSeenMs);
  const bursts = figures.burstMs.map(formatMs).join(', ');
  console.log(
    `  ${name.padEnd(22)} CPU per process and change: ${formatMs(figures.cpuPerChangeMs)} (${figures.changes} changes, idle time included)`,
  );
  console.log(
    `  ${name.padEnd(22)} lost: ${figures.lostChanges} of ${figures.allSeenMs.length} changes; in ${BURSTS} bursts of ${BURST_CHANGES}: ${figures.lostInBursts} last revisions not held; bursts held everywhere after ${bursts || 'n/a'}`,
  );
}

/** Nearest-rank percentile `q` of `values`; NaN for none. */
export function percentile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
}

/** Wall-clock ms with sub-millisecond precision, comparable across processes. */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
