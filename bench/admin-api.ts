import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { onInterrupt } from './interrupt.js';
import { createRandom, randomInt } from './random.js';
import { type Comparison, formatFigure, formatRatio, type Goal, printGoal } from './report.js';
import { shopRegistryFile, TOGGLED_MODULE } from './shop-registry.js';
import { withStoreSandbox } from './store-sandbox.js';
import { tenantName, writeJsonTenants, writeRedisTenants } from './tenant-population.js';

/**
 * (k) The admin API under load: `GET /api/tenants/{tenant}` and `POST …/enable` (each
 * connection alternating enable and disable, so every request writes) from autocannon in
 * this process against a server in a child process, 10,000 tenants stored — side by side in
 * the same run with a bare node:http handler making the same calls and answering the same
 * JSON. Goal: the admin handler serves ≥ 0.7× the bare one's requests/s.
 */
export const adminApiComparison: Comparison = {
  id: 'admin-api',
  async run() {
    console.log(
      `\n(k) Admin API — GET /api/tenants/{tenant} and POST …/enable|disable "${TOGGLED_MODULE}" alternating, ${TENANTS.toLocaleString('en-US')} tenants,`,
    );
    console.log(
      `    autocannon (${CONNECTIONS} connections, 2 rounds of ${DURATION_S} s per contender after ${WARMUP_S} s untimed) against a server process each: the admin`,
    );
    console.log(
      '    handler (auth, routing, body checks, headers) vs a bare node:http handler doing the same instance calls.',
    );
    return withStoreSandbox(async ({ dir, redisUrl }) => {
      const registry = join(dir, 'registry.json');
      await writeFile(registry, JSON.stringify(shopRegistryFile()));
      const jsonStore = join(dir, 'json-store');
      await writeJsonTenants(jsonStore, 0, TENANTS);
      const goals = await measureStore('JSON store', jsonStore, registry);
      if (redisUrl !== undefined) {
        const store = `${redisUrl}?prefix=bench-admin:`;
        await writeRedisTenants(redisUrl, 'bench-admin:', 0, TENANTS);
        goals.push(...(await measureStore('Redis', store, registry)));
      }
      return goals;
    });
  },
};

const TENANTS = 10_000;
const CONNECTIONS = 10;
const DURATION_S = 5;
const WARMUP_S = 2;
const ROUNDS = [
  ['bare', 'admin'],
  ['admin', 'bare'],
] as const;
const TOKEN = 'bench-admin-token-0123456789';
const SERVER = fileURLToPath(new URL('./admin-api-server.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

type Endpoint = 'GET tenant' | 'POST enable';

async function measureStore(name: string, store: string, registry: string): Promise<Goal[]> {
  console.log(`\n(k) ${name}`);
  const servers = {
    bare: await startServer('bare', store, registry),
    admin: await startServer('admin', store, registry),
  };
  const goals: Goal[] = [];
  try {
    for (const endpoint of ['GET tenant', 'POST enable'] as Endpoint[]) {
      const figures = { bare: { rps: 0, p99: 0 }, admin: { rps: 0, p99: 0 } };
      // Two rounds, the order swapped in the second: whoever goes first meets a colder machine.
      for (const order of ROUNDS) {
        for (const contender of order) {
          const url = servers[contender].url;
          await load(url, endpoint, WARMUP_S);
          const result = await load(url, endpoint, DURATION_S);
          const failed = result.errors + result.timeouts + result.non2xx;
          if (failed > 0) throw new Error(`${contender} ${endpoint}: ${failed} failed requests`);
          figures[contender].rps += result.requests.average / ROUNDS.length;
          figures[contender].p99 = Math.max(figures[contender].p99, result.latency.p99);
          console.log(
            `  ${endpoint.padEnd(12)} ${contender.padEnd(6)} ${formatFigure(result.requests.average, 'ops/s').padStart(14)}   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms`,
          );
        }
      }
      const ratio = figures.admin.rps / figures.bare.rps;
      const goal: Goal = {
        subject: `(k) admin API ${endpoint}, ${name}, ${TENANTS / 1000}k tenants`,
        figureName: 'admin ÷ bare requests/s',
        figure: ratio,
        target: 0.7,
        atLeast: true,
      };
      console.log(
        `  ${endpoint}: admin ÷ bare ${formatRatio(ratio)}; p99 admin ${figures.admin?.p99} ms, bare ${figures.bare?.p99} ms`,
      );
      printGoal(goal);
      goals.push(goal, {
        subject: goal.subject,
        figureName: 'admin p99 (worst round)',
        figure: figures.admin.p99,
        unit: 'ms',
      });
    }
  } finally {
    await Promise.all([servers.bare.stop(), servers.admin.stop()]);
  }
  return goals;
}

/** Runs autocannon for `seconds` against one endpoint on random stored tenants. */
function load(url: string, endpoint: Endpoint, seconds: number) {
  const random = createRandom(0xad31);
  const pick = () => tenantName(randomInt(random, TENANTS));
  const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
  if (endpoint === 'GET tenant') {
    return autocannon({
      url,
      connections: CONNECTIONS,
      duration: seconds,
      headers,
      requests: [
        {
          method: 'GET',
          setupRequest: (request) => ({ ...request, path: `/api/tenants/${pick()}` }),
        },
      ],
    });
  }
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    headers,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context) => {
          context.tenant = pick();
          return {
            ...request,
            path: `/api/tenants/${context.tenant}/enable`,
            body: JSON.stringify({ modules: [TOGGLED_MODULE], withDeps: true }),
          };
        },
      },
      {
        method: 'POST',
        setupRequest: (request, context) => ({
          ...request,
          path: `/api/tenants/${context.tenant}/disable`,
          body: JSON.stringify({ modules: [TOGGLED_MODULE] }),
        }),
      },
    ],
  });
}

interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

/** Starts the server child and waits for its URL. Killed on Ctrl-C. */
async function startServer(
  mode: 'admin' | 'bare',
  store: string,
  registry: string,
): Promise<BenchServer> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', SERVER, mode, store, registry, TOKEN],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const stopKilling = onInterrupt(() => child.kill('SIGKILL'));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const collect = (data: Buffer) => {
      output += data;
      const found = /listening (http:\/\/\S+)/.exec(output);
      if (found) resolve(found[1] as string);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    child.once('exit', (code) =>
      reject(new Error(`the ${mode} server exited (${code}): ${output}`)),
    );
  });
  return {
    url,
    stop: () =>
      new Promise((done) => {
        stopKilling();
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}
