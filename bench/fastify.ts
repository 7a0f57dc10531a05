import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { onInterrupt } from './interrupt.js';
import { summarize } from './measure.js';
import { type Comparison, formatFigure, type Goal, printGoal } from './report.js';

/**
 * (j) Requests per second for an enabled module's route through modreg/fastify, against the
 * same route in a bare Fastify app, in the same run.
 */
export const fastifyComparison: Comparison = {
  id: 'fastify',
  async run() {
    console.log(
      '\n(j) Fastify — GET /billing/plans (fixtures/saas billing, enabled for the tenant) through',
    );
    console.log(
      '    modreg/fastify vs the same handler as a plain route of a bare Fastify app. Each server is',
    );
    console.log(
      `    a child process; autocannon loads one at a time from this process (${CONNECTIONS} connections,`,
    );
    console.log(
      `    pipelining ${PIPELINING}, as Fastify's own benchmarks), ${ROUNDS} rounds of ${SECONDS} s each after a ${WARMUP_SECONDS} s warm-up;`,
    );
    console.log(
      '    each round loads both, the first of the pair alternating. The ratio is the median of the',
    );
    console.log(
      '    rounds’ ratios (each pair ran seconds apart); CPU per request is the server’s own time.',
    );
    const servers = await Promise.all(MODES.map((mode) => startServer(mode)));
    const stopKilling = onInterrupt(() => {
      for (const server of servers) server.child.kill('SIGKILL');
    });
    try {
      for (const server of servers) await load(server, WARMUP_SECONDS);
      const runs = new Map<Mode, Run[]>(MODES.map((mode) => [mode, []]));
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const server of order) runs.get(server.mode)?.push(await load(server, SECONDS));
      }
      const of = (mode: Mode) => runs.get(mode) ?? [];
      const ratios = of('plugin').map((run, i) => run.rate / (of('bare')[i]?.rate ?? Number.NaN));
      const rate = (mode: Mode) => summarize(of(mode).map((r) => r.rate)).median;
      const cpu = (mode: Mode) => summarize(of(mode).map((r) => r.cpuNs)).median;
      for (const mode of MODES) {
        const rates = of(mode)
          .map((r) => Math.round(r.rate).toLocaleString('en-US'))
          .join(', ');
        console.log(
          `  ${NAMES[mode].padEnd(22)} median ${formatFigure(rate(mode), 'ops/s')}, ${formatFigure(cpu(mode), 'ns')} CPU per request  (${rates})`,
        );
      }
      const subject = '(j) Fastify plugin, enabled module route';
      const goal: Goal = {
        subject,
        figureName: 'plugin ÷ bare requests/s',
        figure: summarize(ratios).median,
        target: 0.9,
        atLeast: true,
      };
      printGoal(goal);
      return [
        goal,
        { subject, figureName: 'through the plugin', figure: rate('plugin'), unit: 'ops/s' },
        { subject, figureName: 'bare Fastify', figure: rate('bare'), unit: 'ops/s' },
        {
          subject,
          figureName: 'server CPU per request, plugin − bare',
          figure: cpu('plugin') - cpu('bare'),
          unit: 'ns',
        },
      ];
    } finally {
      stopKilling();
      await Promise.all(servers.map((server) => server.stop()));
    }
  },
};

const MODES = ['plugin', 'bare'] as const;
type Mode = (typeof MODES)[number];
const NAMES: Record<Mode, string> = { plugin: 'through modreg/fastify', bare: 'bare Fastify' };
const CONNECTIONS = 100;
const PIPELINING = 10;
const ROUNDS = 12;
const SECONDS = 2;
const WARMUP_SECONDS = 2;
const SERVER = fileURLToPath(new URL('./fastify-server.mjs', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

interface Server {
  mode: Mode;
  url: string;
  child: ChildProcess;
  /** The server's own CPU time so far (user + system), in nanoseconds. */
  cpuNs(): Promise<number>;
  stop(): Promise<void>;
}

/** One timed load of one server. */
interface Run {
  rate: number;
  /** Server CPU time per request served. */
  cpuNs: number;
}

/** The part of autocannon's result used here. */
interface LoadResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** Loads one server for `seconds`: its requests per second and CPU per request. Failures throw. */
async function load(server: Server, seconds: number): Promise<Run> {
  const autocannon = createRequire(import.meta.url)('autocannon') as (
    options: object,
  ) => Promise<LoadResult>;
  const before = await server.cpuNs();
  const result = await autocannon({
    url: `${server.url}/billing/plans`,
    headers: { 'x-tenant-id': 'acme' },
    connections: CONNECTIONS,
    pipelining: PIPELINING,
    duration: seconds,
  });
  const cpu = (await server.cpuNs()) - before;
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > 0) throw new Error(`${failed} requests to the ${server.mode} server failed`);
  return { rate: result.requests.average, cpuNs: cpu / result.requests.total };
}

/** Spawns one server (with an IPC channel for its CPU time) and waits for its listening line. */
function startServer(mode: Mode): Promise<Server> {
  const child = spawn(process.execPath, [SERVER, mode], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const cpuNs = () =>
    new Promise<number>((resolve) => {
      child.once('message', (usage) => {
        const { user, system } = usage as NodeJS.CpuUsage;
        resolve((user + system) * 1000);
      });
      child.send('cpu');
    });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const collect = (data: Buffer) => {
      output += data;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1];
      if (url !== undefined) resolve({ mode, url, child, cpuNs, stop });
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) =>
      reject(new Error(`the ${mode} server exited (${code}): ${output}`)),
    );
  });
}
