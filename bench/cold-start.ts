import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { measureInterleaved } from './measure.js';
import {
  type Comparison,
  formatMs,
  formatRatio,
  type Goal,
  printGoal,
  printStats,
  ratioOf,
} from './report.js';

/** (c) Cold start: `node bin/modreg.js --version` vs `node -e ''`. */
export const coldStartComparison: Comparison = {
  id: 'cold-start',
  async run() {
    console.log(
      `\n(c) Cold start — each command spawned ${RUNS} times, alternating (NODE_OPTIONS cleared)`,
    );
    checkModregVersion();
    const outcomes = await measureInterleaved(
      [
        { name: 'modreg --version', run: () => spawnNode([BIN, '--version']) },
        { name: "node -e ''", run: () => spawnNode(['-e', '']) },
      ],
      { warmup: 3, runs: RUNS },
    );
    printStats(outcomes);
    const medians = outcomes.map((o) => (o.ok ? o.stats.median : Number.NaN));
    const [modreg = Number.NaN, bare = Number.NaN] = medians;
    console.log(`  modreg's own start-up cost: ${formatMs(modreg - bare)} (difference of medians)`);
    const goal: Goal = {
      subject: '(c) cold start, modreg --version',
      figureName: "modreg ÷ node -e ''",
      figure: ratioOf(outcomes, 'modreg --version', "node -e ''"),
      target: 1.5,
      atLeast: false,
    };
    console.log(`  modreg ÷ node -e '': ${formatRatio(goal.figure)}`);
    printGoal(goal);
    return [goal];
  },
};

const RUNS = 30;
const REPO = fileURLToPath(new URL('..', import.meta.url));
const BIN = fileURLToPath(new URL('../bin/modreg.js', import.meta.url));
/** The children start as a user's shell starts them: without the options tsx or a user set. */
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS'),
);

function spawnNode(args: readonly string[]) {
  const child = spawnSync(process.execPath, args, { cwd: REPO, env: CHILD_ENV, encoding: 'utf8' });
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  }
  return child.stdout;
}

/** Outside the timing: the built CLI must answer with the package's version. */
function checkModregVersion(): void {
  const { version } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  const printed = spawnNode([BIN, '--version']).trim();
  if (printed !== version) {
    throw new Error(
      `bin/modreg.js --version printed "${printed}", not "${version}"; build first (npm run bench builds).`,
    );
  }
}
