import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { main } from '../src/cli/main.js';
import { discoverModules } from '../src/registry/discover.js';
import { createModuleConfigValidator } from '../src/registry/schema-validator.js';
import {
  type ConfigCase,
  configCaseArb,
  malformedProblems,
  writeConfigCase,
} from '../test/registry/config-mutations.js';

/**
 * The large config fuzz run: 10,000 mutated module configs (the suite's fuzz test runs a few
 * hundred), each scanned by `discoverModules`, and every `cliEvery`-th one by
 * `modreg validate` in-process (each CLI run compiles the schema again, about 0.2 s, so all
 * 10,000 would take over half an hour). Prints the raw exceptions (anything
 * `discoverModules` throws), malformed problems and CLI runs that ended with exit 70 (an
 * internal error); all must be 0, or the exit code is 1.
 *
 *   node --import tsx bench/config-fuzz.ts [runs=10000] [cliEvery=4] [seed]
 *
 * `FUZZ_VERBOSE=1` prints each case's label before it runs (to find one that hangs).
 */
const runs = Number(process.argv[2] ?? 10_000);
const cliEvery = Number(process.argv[3] ?? 4);
const seed = Number(process.argv[4] ?? 0x5eed);
const verbose = process.env.FUZZ_VERBOSE === '1';

const counts = { raw: 0, malformed: 0, exit70: 0, exitOther: 0, cliRuns: 0, withProblems: 0 };
const exitCodes = new Map<number, number>();
// One compiled schema for every library scan, as a long-running process has.
const validator = createModuleConfigValidator();
const base = await mkdtemp(join(tmpdir(), 'modreg-fuzz-'));
const started = performance.now();
try {
  const cases = fc.sample(configCaseArb, { numRuns: runs, seed });
  for (const [i, testCase] of cases.entries()) {
    if (verbose) console.error(`${i} ${testCase.label.slice(0, 100)}`);
    const root = join(base, String(i));
    await mkdir(root);
    await writeConfigCase(root, testCase);
    const t0 = performance.now();
    await scanInLibrary(root, testCase, i);
    const t1 = performance.now();
    if (i % cliEvery === 0) await scanInCli(root, testCase, i);
    if (verbose)
      console.error(`  ${(t1 - t0).toFixed(0)} ms + ${(performance.now() - t1).toFixed(0)} ms`);
    await rm(root, { recursive: true, force: true });
  }
} finally {
  await rm(base, { recursive: true, force: true });
}
const seconds = (performance.now() - started) / 1000;

console.log(
  `config fuzz: ${runs.toLocaleString('en-US')} mutated configs (seed ${seed}), ${seconds.toFixed(1)} s`,
);
console.log(
  `  library: ${counts.raw} raw exceptions, ${counts.malformed} malformed problems; ${counts.withProblems} configs with problems`,
);
console.log(
  `  CLI (validate, in-process): ${counts.exit70} exit 70 of ${counts.cliRuns} runs; exit codes ${[...exitCodes].map(([code, n]) => `${code}: ${n}`).join(', ')}`,
);
if (counts.raw + counts.malformed + counts.exit70 + counts.exitOther > 0) process.exitCode = 1;

async function scanInLibrary(root: string, testCase: ConfigCase, i: number): Promise<void> {
  try {
    const registry = await discoverModules({ root, validator });
    const wrong = malformedProblems(registry.problems);
    if (registry.problems.length > 0) counts.withProblems++;
    if (wrong.length > 0) {
      counts.malformed += wrong.length;
      console.log(`#${i} ${testCase.label}: ${wrong[0]}`);
    }
  } catch (error) {
    counts.raw++;
    console.log(`#${i} ${testCase.label}: raw exception ${String(error).slice(0, 300)}`);
  }
}

async function scanInCli(root: string, testCase: ConfigCase, i: number): Promise<void> {
  let stderr = '';
  const code = await main(['validate'], {
    stdout: { write: () => true },
    stderr: { write: (text: string) => (stderr += text) },
    env: {},
    cwd: root,
  });
  counts.cliRuns++;
  exitCodes.set(code, (exitCodes.get(code) ?? 0) + 1);
  if (code === 70) {
    counts.exit70++;
    console.log(`#${i} ${testCase.label}: exit 70\n${stderr.slice(0, 600)}`);
  } else if (code !== 0 && code !== 1) {
    counts.exitOther++;
    console.log(`#${i} ${testCase.label}: exit ${code}\n${stderr.slice(0, 300)}`);
  }
}
