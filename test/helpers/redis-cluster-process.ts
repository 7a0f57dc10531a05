import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import {
  freePort,
  haltRedis,
  launchRedis,
  redisCliVersion,
  redisServerVersion,
} from './redis-process.js';

// A throwaway Redis Cluster, for the tests and the benchmarks alike: no test runner here.

/** One master of a test cluster. */
export interface TestClusterNode {
  port: number;
  /** `redis://127.0.0.1:<port>`. */
  url: string;
  /** The hash slot ranges it serves, `[first, last]`. */
  slots: [number, number][];
  /** Its process id, for SIGSTOP / SIGKILL; undefined once stopped. */
  readonly pid: number | undefined;
  /** Kills this node (SIGKILL): the cluster loses its slots until it comes back. */
  kill(): Promise<void>;
}

/** A Redis Cluster of masters without replicas, for tests. */
export interface TestRedisCluster {
  nodes: TestClusterNode[];
  /** The first node's URL: any node's URL reaches the whole cluster. */
  url: string;
  /** The node serving hash slot `slot`. */
  nodeOfSlot(slot: number): TestClusterNode;
  /** Runs one command on every master that is up (FLUSHALL, CLIENT KILL …). */
  onEveryNode(...command: string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts `size` redis-server processes in cluster mode on free ports, joins them with
 * `redis-cli --cluster create … --cluster-replicas 0`, and returns once every node reports
 * `cluster_state:ok` and knows every node and slot. The nodes serve their slots even while
 * another node is down (cluster-require-full-coverage no), so a test may kill one. With a
 * `password`, every node requires it.
 */
export async function startRedisCluster(
  options: { size?: number; password?: string } = {},
): Promise<TestRedisCluster> {
  const { size = 3, password } = options;
  const auth = password === undefined ? [] : ['--requirepass', password, '--masterauth', password];
  const dir = await mkdtemp(join(tmpdir(), 'modreg-cluster-'));
  const ports: number[] = [];
  while (ports.length < size) {
    const port = await freePort();
    // A cluster node also listens on port + 10000 (the cluster bus).
    if (port < 55_000 && !ports.includes(port)) ports.push(port);
  }
  const children = new Map<number, ChildProcess>();
  const stop = async () => {
    await Promise.all([...children.values()].map(haltRedis));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      const args = [
        '--cluster-enabled',
        'yes',
        '--cluster-config-file',
        `nodes-${port}.conf`,
        '--cluster-node-timeout',
        '2000',
        '--cluster-require-full-coverage',
        'no',
        ...auth,
      ];
      children.set(port, await launchRedis(port, dir, args));
    }
    await redisCli([
      ...(password === undefined ? [] : ['-a', password, '--no-auth-warning']),
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    await waitUntilFormed(ports, password);
  } catch (error) {
    await stop();
    throw error;
  }
  const ranges = (await nodeCommand(ports[0] as number, password, 'CLUSTER', 'SLOTS')) as [
    number,
    number,
    [string, number, ...unknown[]],
  ][];
  const nodes = ports.map(
    (port): TestClusterNode => ({
      port,
      url: `redis://127.0.0.1:${port}`,
      slots: ranges
        .filter(([, , [, owner]]) => owner === port)
        .map(([first, last]): [number, number] => [first, last]),
      get pid() {
        return children.get(port)?.pid;
      },
      async kill() {
        const child = children.get(port);
        if (child === undefined) return;
        children.delete(port);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGKILL');
        await exited;
      },
    }),
  );
  return {
    nodes,
    url: nodes[0]?.url as string,
    nodeOfSlot(slot) {
      const node = nodes.find((n) =>
        n.slots.some(([first, last]) => slot >= first && slot <= last),
      );
      if (node === undefined) throw new Error(`no node serves slot ${slot}`);
      return node;
    },
    async onEveryNode(...command) {
      await Promise.all(
        [...children.keys()].map((port) =>
          nodeCommand(port, password, command[0] as string, ...command.slice(1)),
        ),
      );
    },
    stop,
  };
}

/** True when tests can start a cluster: redis-server and redis-cli on PATH. */
export function redisClusterAvailable(): boolean {
  return redisServerVersion() !== undefined && redisCliVersion() !== undefined;
}

/** Waits until every node says `cluster_state:ok` and knows all nodes and all slots. */
async function waitUntilFormed(ports: readonly number[], password?: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const infos = await Promise.all(
      ports.map((port) => nodeCommand(port, password, 'CLUSTER', 'INFO').catch(() => '')),
    );
    const formed = infos.every(
      (info) =>
        /cluster_state:ok/.test(String(info)) &&
        new RegExp(`cluster_known_nodes:${ports.length}\\b`).test(String(info)) &&
        /cluster_slots_ok:16384\b/.test(String(info)),
    );
    if (formed) return;
    if (Date.now() > deadline) {
      throw new Error(`the cluster on ports ${ports.join(', ')} did not form within 20 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** One command on one node, over a connection of its own. */
async function nodeCommand(
  port: number,
  password: string | undefined,
  name: string,
  ...args: string[]
): Promise<unknown> {
  const client = new Redis({
    port,
    host: '127.0.0.1',
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    ...(password === undefined ? {} : { password }),
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return await client.call(name, ...args);
  } finally {
    client.disconnect();
  }
}

function redisCli(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('redis-cli', [...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(`redis-cli ${args.join(' ')} failed: ${stderr || stdout || error.message}`),
        );
      else resolve(stdout);
    });
  });
}
