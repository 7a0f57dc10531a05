import { cpus } from 'node:os';
import { adminApiComparison } from './admin-api.js';
import { coldStartComparison } from './cold-start.js';
import { discoverComparison } from './discover.js';
import { exportMemoryComparison } from './export-memory.js';
import { fastifyComparison } from './fastify.js';
import { fleetPropagationComparison } from './fleet-propagation.js';
import { graphOrderComparison } from './graph-order.js';
import { gcExposed } from './measure.js';
import { openFeatureComparison } from './openfeature.js';
import { type Comparison, type Goal, printSummary } from './report.js';
import { runtimeLookupComparison } from './runtime-lookup.js';
import { runtimeMemoryComparison } from './runtime-memory.js';
import { runtimePropagationComparison } from './runtime-propagation.js';
import { runtimeSyncedComparison } from './runtime-synced.js';
import { storeEnableComparison } from './store-enable.js';
import { storeThroughputComparison } from './store-throughput.js';

const COMPARISONS: readonly Comparison[] = [
  graphOrderComparison,
  discoverComparison,
  coldStartComparison,
  storeEnableComparison,
  storeThroughputComparison,
  runtimeLookupComparison,
  runtimePropagationComparison,
  fleetPropagationComparison,
  runtimeSyncedComparison,
  runtimeMemoryComparison,
  exportMemoryComparison,
  openFeatureComparison,
  fastifyComparison,
  adminApiComparison,
];

/**
 * Runs the comparisons whose id contains one of `filters` (all of them when none is given),
 * then prints the summary of their goals. Returns the exit code: 2 for a filter matching
 * nothing, 1 when a comparison failed to run; a missed goal is a result, not a failure.
 */
async function runBench(filters: readonly string[]): Promise<number> {
  const selected = COMPARISONS.filter(
    (c) => filters.length === 0 || filters.some((f) => c.id.includes(f.toLowerCase())),
  );
  if (selected.length === 0) {
    const ids = COMPARISONS.map((c) => c.id).join(', ');
    console.error(`No comparison matches "${filters.join(' ')}". Choose from: ${ids}.`);
    return 2;
  }
  const cpu = cpus();
  console.log(
    `modreg benchmarks — node ${process.version}, ${process.platform} ${process.arch}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}`,
  );
  console.log(
    gcExposed
      ? 'GC forced before every run (--expose-gc).'
      : 'GC not forced between runs; run with NODE_OPTIONS=--expose-gc for steadier figures.',
  );
  const goals: Goal[] = [];
  let exitCode = 0;
  for (const comparison of selected) {
    try {
      goals.push(...(await comparison.run()));
    } catch (error) {
      console.error(`\n${comparison.id} failed:`, error);
      exitCode = 1;
    }
  }
  console.log(
    '\nSummary (ratios are of medians of contenders timed in the same run; times are medians):\n',
  );
  printSummary(goals);
  return exitCode;
}

process.exitCode = await runBench(process.argv.slice(2));
