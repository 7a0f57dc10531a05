import { readFileSync, rmSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fg from 'fast-glob';
import { discoverModules } from '../src/registry/discover.js';
import { createModuleConfigValidator } from '../src/registry/schema-validator.js';
import { measureInterleaved, summarize, timeOnce } from './measure.js';
import { writeModuleTree } from './module-tree.js';
import {
  type Comparison,
  formatMs,
  formatRatio,
  type Goal,
  printGoal,
  printStats,
  ratioOf,
} from './report.js';

/** (b) discover + validate 1,000 module configs vs a bare glob + read + JSON.parse. */
export const discoverComparison: Comparison = {
  id: 'discover',
  async run() {
    console.log(
      `\n(b) Discover + validate — ${MODULES.toLocaleString('en-US')} generated module.config.json files in a temp directory`,
    );
    await printValidatorCost();
    const root = await mkdtemp(join(tmpdir(), 'modreg-bench-'));
    // Ctrl-C mid-run still removes the tree, then ends the process as the signal would have.
    const removeOnInterrupt = () => {
      rmSync(root, { recursive: true, force: true });
      process.kill(process.pid, 'SIGINT');
    };
    process.once('SIGINT', removeOnInterrupt);
    try {
      await writeModuleTree(join(root, 'modules'), MODULES, 0xd15c);
      return await compare(root);
    } finally {
      process.off('SIGINT', removeOnInterrupt);
      await rm(root, { recursive: true, force: true });
    }
  },
};

const MODULES = 1_000;

async function compare(root: string): Promise<Goal[]> {
  // Created once, outside the timing: a long-running process compiles the schema once.
  const validator = createModuleConfigValidator();
  const modreg = () => discoverModules({ root, modulesDir: 'modules', validator });
  const bare = () => readAllConfigs(join(root, 'modules'));
  const bareAsync = () => readAllConfigsAsync(join(root, 'modules'));
  await checkContenders(modreg, bare);
  await checkContenders(modreg, bareAsync);
  const outcomes = await measureInterleaved(
    [
      { name: 'modreg', run: modreg },
      { name: 'bare', run: bare },
      { name: 'bare-async', run: bareAsync },
    ],
    { warmup: 5, runs: 40 },
  );
  printStats(outcomes);
  console.log('  bare       = fast-glob (sync API) + fs.readFileSync + JSON.parse: the floor');
  console.log(
    '  bare-async = fast-glob (promise API) + fs.promises.readFile + JSON.parse, all at once',
  );
  const subject = `(b) discover + validate ${MODULES.toLocaleString('en-US')} configs`;
  const goals: Goal[] = [
    {
      subject,
      figureName: 'modreg ÷ bare',
      figure: ratioOf(outcomes, 'modreg', 'bare'),
      target: 1.3,
      atLeast: false,
    },
    {
      subject,
      figureName: 'modreg ÷ bare-async',
      figure: ratioOf(outcomes, 'modreg', 'bare-async'),
      target: 1.3,
      atLeast: false,
    },
  ];
  for (const goal of goals) {
    console.log(`  ${goal.figureName}: ${formatRatio(goal.figure)}`);
    printGoal(goal);
  }
  return goals;
}

/**
 * The baseline: find every config and parse it, nothing more, with the same synchronous
 * calls modreg makes (for many small files they beat libuv's thread pool several times).
 */
async function readAllConfigs(modulesDir: string): Promise<unknown[]> {
  const files = fg.sync('**/module.config.json', { cwd: modulesDir, absolute: true });
  return files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

/** The same baseline written the common way, with promises. */
async function readAllConfigsAsync(modulesDir: string): Promise<unknown[]> {
  const files = await fg('**/module.config.json', { cwd: modulesDir, absolute: true });
  return Promise.all(
    files.map(async (file) => JSON.parse(await readFile(file, 'utf8')) as unknown),
  );
}

/** Both contenders must see every module, and modreg must find the generated tree clean. */
async function checkContenders(
  modreg: () => ReturnType<typeof discoverModules>,
  bare: () => Promise<unknown[]>,
): Promise<void> {
  const registry = await modreg();
  const { order, blocked } = registry.graph;
  if (
    registry.modules.length !== MODULES ||
    registry.problems.length > 0 ||
    order.length !== MODULES ||
    blocked.length > 0
  ) {
    const first = registry.problems[0];
    throw new Error(
      `modreg saw ${registry.modules.length} modules, ${registry.problems.length} problems, ${order.length} ordered, ${blocked.length} blocked; expected ${MODULES} clean modules.${first ? ` First problem: ${first.file} ${first.pointer} ${first.message}` : ''}`,
    );
  }
  const configs = await bare();
  if (configs.length !== MODULES)
    throw new Error(`bare read ${configs.length} configs, not ${MODULES}`);
}

/** The one-off cost a process pays before its first scan: compiling the schema. */
async function printValidatorCost(): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < 11; i++) {
    const timed = await timeOnce(createModuleConfigValidator);
    if (!timed.ok) throw new Error(`createModuleConfigValidator() ${timed.reason}`);
    times.push(timed.ms);
  }
  console.log(
    `  info: createModuleConfigValidator() (schema compile), paid once per process: first call ${formatMs(times[0] as number)}, median of 10 more ${formatMs(summarize(times.slice(1)).median)}`,
  );
}
