import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { childOutput } from './child-output.js';
import { onInterrupt } from './interrupt.js';
import { type Comparison, formatMs, type Goal, printGoal } from './report.js';
import { withStoreSandbox } from './store-sandbox.js';
import { writeJsonTenants, writeRedisTenants } from './tenant-population.js';

/** Peak memory of `modreg export` over a large store, the built CLI in a process of its own. */
export const exportMemoryComparison: Comparison = {
  id: 'export-memory',
  async run() {
    console.log(
      `\n(n) Export memory — \`modreg export --output file\` (bin/modreg.js) over ${TENANTS.toLocaleString('en-US')} tenants,`,
    );
    console.log(
      '    each with its history; peak RSS of the CLI process (VmHWM of /proc/self/status at exit).',
    );
    return withStoreSandbox(async ({ dir, redisUrl }) => {
      // What node and the CLI take before any tenant: the floor under the figures below.
      const emptyStore = join(dir, 'empty-store');
      await mkdir(emptyStore);
      const goals: Goal[] = [await measureExport('empty JSON store', emptyStore, dir, 0)];
      const jsonStore = join(dir, 'json-store');
      await writeJsonTenants(jsonStore, 0, TENANTS);
      goals.push(await measureExport('JSON store', jsonStore, dir));
      if (redisUrl !== undefined) {
        const location = `${redisUrl}?prefix=bench-export:`;
        await writeRedisTenants(redisUrl, 'bench-export:', 0, TENANTS);
        goals.push(await measureExport('Redis store', location, dir));
      }
      return goals;
    });
  },
};

const TENANTS = 100_000;
const GOAL_MB = 100;
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/modreg.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('./peak-rss-preload.mjs', import.meta.url));

async function measureExport(
  name: string,
  location: string,
  dir: string,
  tenants = TENANTS,
): Promise<Goal> {
  const output = join(dir, `export-${name.replaceAll(' ', '-').toLowerCase()}.json`);
  const args = ['--import', PRELOAD, BIN, 'export', '--store', location, '--output', output];
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const stopKilling = onInterrupt(() => child.kill('SIGKILL'));
  const { code, signal, stderr } = await childOutput(child).finally(stopKilling);
  const took = performance.now() - started;
  const peak = /peak-rss (\d+)/.exec(stderr)?.[1];
  if (code !== 0 || peak === undefined) {
    throw new Error(`modreg export on the ${name} exited (${signal ?? code}): ${stderr}`);
  }
  const megabytes = Number(peak) / 1024;
  const maxRss = Number(/max-rss (\d+)/.exec(stderr)?.[1]) / 1024;
  console.log(
    `\n(n) ${name}: peak RSS ${megabytes.toFixed(1)} MB (getrusage maxRSS ${maxRss.toFixed(1)} MB), export took ${formatMs(took)}`,
  );
  const goal: Goal = {
    subject: `(n) export of ${tenants.toLocaleString('en-US')} tenants, ${name}`,
    figureName: 'peak RSS',
    figure: megabytes,
    unit: 'MB',
    ...(tenants === 0 ? {} : { target: GOAL_MB }),
  };
  if (goal.target !== undefined) printGoal(goal);
  return goal;
}
