import { readFileSync } from 'node:fs';
import { BIN, spawnNode, withCliProject } from './cli-project.js';
import { measureInterleaved, type Outcome } from './measure.js';
import {
  type Comparison,
  formatMs,
  formatRatio,
  type Goal,
  printGoal,
  printStats,
  ratioOf,
} from './report.js';

/**
 * (c) Cold start of the everyday CLI: `modreg --version`, `modreg status <tenant>` and
 * `modreg enable <tenant> <module> --dry-run` on a JSON store, each spawned against
 * `node -e ''` in the same rounds.
 */
export const coldStartComparison: Comparison = {
  id: 'cold-start',
  async run() {
    console.log(
      `\n(c) Cold start — each command spawned ${RUNS} times, alternating (NODE_OPTIONS cleared), in a`,
    );
    console.log(
      '    project of fixtures/saas (16 modules) with modreg.config.json, the registry file and 4 tenants',
    );
    return withCliProject(async (dir) => {
      checkOutputs(dir);
      const outcomes = await measureInterleaved(
        [
          { name: BARE, run: () => spawnNode(['-e', ''], dir) },
          ...COMMANDS.map(({ name, args }) => ({
            name,
            run: () => spawnNode([BIN, ...args], dir),
          })),
        ],
        { warmup: 3, runs: RUNS },
      );
      printStats(outcomes);
      const bare = medianOf(outcomes, BARE);
      return COMMANDS.map(({ name, target }) => {
        const goal: Goal = {
          subject: `(c) cold start, ${name}`,
          figureName: `÷ ${BARE}`,
          figure: ratioOf(outcomes, name, BARE),
          target,
          atLeast: false,
        };
        const own = formatMs(medianOf(outcomes, name) - bare);
        console.log(`  ${name} ÷ ${BARE}: ${formatRatio(goal.figure)} (own cost ${own})`);
        printGoal(goal);
        return goal;
      });
    });
  },
};

const RUNS = 30;
const BARE = "node -e ''";
const TENANT = 'acme';
const MODULE = 'audit-log';

/** The commands timed, each with its goal: the ratio to a bare node start. */
const COMMANDS = [
  { name: 'modreg --version', args: ['--version'], target: 1.5 },
  { name: `modreg status ${TENANT}`, args: ['status', TENANT], target: 2 },
  {
    name: `modreg enable ${TENANT} ${MODULE} --dry-run`,
    args: ['enable', TENANT, MODULE, '--dry-run'],
    target: 2,
  },
] as const;

function medianOf(outcomes: readonly Outcome[], name: string): number {
  const outcome = outcomes.find((o) => o.name === name);
  return outcome?.ok ? outcome.stats.median : Number.NaN;
}

/** Outside the timing: each command must do its job, or the figures time a failure. */
function checkOutputs(dir: string): void {
  const { version } = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as { version: string };
  const expected = [version, `${TENANT}  revision 2`, `+ enable ${MODULE}  requested`];
  COMMANDS.forEach(({ args }, index) => {
    const printed = spawnNode([BIN, ...args], dir);
    const wanted = expected[index] ?? '';
    if (!printed.includes(wanted)) {
      throw new Error(
        `modreg ${args.join(' ')} printed "${printed.trim()}", without "${wanted}"; build first (npm run bench builds).`,
      );
    }
  });
}
