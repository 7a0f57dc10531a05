import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childOutput } from './child-output.js';
import { onInterrupt } from './interrupt.js';
import { type Comparison, formatFigure, formatMs, type Goal, printGoal } from './report.js';
import type { BoundReport } from './runtime-memory-bound-child.js';
import type { MemoryReport } from './runtime-memory-child.js';
import { ENABLED_PER_TENANT, FLAGS_PER_TENANT, MODULE_COUNT } from './runtime-tenants.js';

/** (h) Heap per cached tenant, measured in a child process of its own. */
export const runtimeMemoryComparison: Comparison = {
  id: 'runtime-memory',
  async run() {
    console.log(
      `\n(h) Memory per cached tenant — ${TENANTS.toLocaleString('en-US')} tenants, ${ENABLED_PER_TENANT} of ${MODULE_COUNT} modules on and ${FLAGS_PER_TENANT} flag values each,`,
    );
    console.log(
      '    all read into one createModreg instance (memory store) through modreg.snapshot(), in a child',
    );
    console.log(
      '    process (--expose-gc). heapUsed after forced GC, the store already filled and the code warmed',
    );
    console.log('    before the first reading, so only what the cache holds is counted.');
    const report = (await runChild(CHILD, [String(TENANTS)])) as MemoryReport;
    const perTenant = (bytes: number) => bytes / report.tenants;
    const cacheBytes = perTenant(report.heapCached - report.heapBefore);
    const bareBytes = perTenant(report.heapBare - report.heapCached);
    console.log(
      `  heapUsed: ${megabytes(report.heapBefore)} before, ${megabytes(report.heapCached)} with ${report.cached.toLocaleString('en-US')} tenants cached`,
    );
    console.log(`  modreg cache: ${formatFigure(cacheBytes, 'bytes')} per tenant`);
    console.log(
      `  info: a bare Map<tenant, { modules: Set, flags }> over the same store.read() results: ${formatFigure(bareBytes, 'bytes')} per tenant`,
    );
    if (report.cached !== report.tenants) {
      throw new Error(`the cache held ${report.cached} tenants, not ${report.tenants}`);
    }
    const subject = `(h) memory, ${TENANTS.toLocaleString('en-US')} cached tenants`;
    const goal: Goal = {
      subject,
      figureName: 'heap per cached tenant',
      figure: cacheBytes,
      unit: 'bytes',
      target: 512,
    };
    printGoal(goal);
    return [
      goal,
      { subject, figureName: 'bare Map of Sets, per tenant', figure: bareBytes, unit: 'bytes' },
      ...(await measureBound()),
    ];
  },
};

/** The bounded cache: heap over a million stored tenants against that of the bound itself. */
async function measureBound(): Promise<Goal[]> {
  console.log(
    `\n(h) cacheMaxTenants: ${BOUND.toLocaleString('en-US')} — the same instance over a generated read-only store (each read made up`,
  );
  console.log(
    `    from the tenant's index, nothing held), first of ${BOUND.toLocaleString('en-US')} tenants, all cached; then of ${STORED.toLocaleString('en-US')}: synced(), then`,
  );
  console.log(
    `    snapshot() of ${VISITS.toLocaleString('en-US')} tenants spread over all of them, ${100} at a time, each a miss evicting another.`,
  );
  const args = [String(BOUND), String(STORED), String(VISITS)];
  const report = (await runChild(BOUND_CHILD, args)) as BoundReport;
  if (report.cached !== BOUND) throw new Error(`the cache held ${report.cached}, not ${BOUND}`);
  console.log(
    `  heap growth: ${megabytes(report.heapAllCached)} with ${BOUND.toLocaleString('en-US')} stored and cached; ${megabytes(report.heapAfterVisits)} with ${STORED.toLocaleString('en-US')} stored, after ${report.evictions.toLocaleString('en-US')} evictions (visits took ${formatMs(report.visitMs)})`,
  );
  const goal: Goal = {
    subject: `(h) memory, cacheMaxTenants ${BOUND.toLocaleString('en-US')}, ${STORED.toLocaleString('en-US')} tenants stored`,
    figureName: `heap ÷ heap of ${BOUND.toLocaleString('en-US')} cached`,
    figure: report.heapAfterVisits / report.heapAllCached,
    target: 1.2,
  };
  printGoal(goal);
  return [goal];
}

const TENANTS = 100_000;
const REPO = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./runtime-memory-child.ts', import.meta.url));
const BOUND_CHILD = fileURLToPath(new URL('./runtime-memory-bound-child.ts', import.meta.url));
const BOUND = 10_000;
const STORED = 1_000_000;
const VISITS = 200_000;

/** Runs a child; resolves with the JSON line it prints last. Stopped on Ctrl-C. */
async function runChild(script: string, extra: readonly string[]): Promise<unknown> {
  const args = ['--expose-gc', '--import', 'tsx', script, ...extra];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const stopKilling = onInterrupt(() => child.kill('SIGKILL'));
  const { code, signal, stdout, stderr } = await childOutput(child).finally(stopKilling);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  try {
    if (code !== 0) throw new Error('failed');
    return JSON.parse(line) as unknown;
  } catch {
    throw new Error(`the memory child exited (${signal ?? code}): ${stderr || stdout}`);
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
