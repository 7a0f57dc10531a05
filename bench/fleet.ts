import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FleetMessage, FleetReport } from './fleet-child.js';
import { onInterrupt } from './interrupt.js';

/** Processes following one store, each reporting when it holds a tenant's revision. */
export interface Fleet {
  size: number;
  /**
   * When each process held `revision` of `tenant` (or a newer one), in wall-clock ms; a
   * process that did not within `timeoutMs` of this call answers undefined.
   */
  seen(tenant: string, revision: number, timeoutMs: number): Promise<(number | undefined)[]>;
  /**
   * Asks every process to close its store and waits until all have exited; resolves with the
   * CPU time (ms) each used from being ready until asked to stop.
   */
  stop(): Promise<number[]>;
}

/** What {@link startFleet} starts. */
export interface FleetOptions {
  /** `modreg` instances or `bare` ioredis subscribers (see fleet-child.ts). */
  kind: 'modreg' | 'bare';
  size: number;
  /** The store's URL or directory. */
  location: string;
  /** The Redis key prefix; '' for a JSON store. */
  prefix: string;
  /** The tenants each process holds. */
  tenants: readonly string[];
}

/** Starts the processes and resolves once each holds the tenants and listens. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const args = [
    '--import',
    'tsx',
    CHILD,
    options.kind,
    options.location,
    options.prefix,
    options.tenants.join(','),
  ];
  const members: Member[] = [];
  const stopKilling = onInterrupt(() => {
    for (const member of members) member.child.kill('SIGKILL');
  });
  try {
    for (let i = 0; i < options.size; i++) members.push(startMember(args));
    await Promise.all(members.map((member) => member.ready));
  } catch (error) {
    stopKilling();
    for (const member of members) member.child.kill('SIGKILL');
    throw error;
  }
  return {
    size: options.size,
    seen: (tenant, revision, timeoutMs) =>
      Promise.all(members.map((member) => member.seen(tenant, revision, timeoutMs))),
    async stop() {
      const cpu = await Promise.all(members.map((member) => member.stop()));
      stopKilling();
      return cpu;
    },
  };
}

const CHILD = fileURLToPath(new URL('./fleet-child.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

/** One process of the fleet and what it reported. */
interface Member {
  child: ChildProcess;
  ready: Promise<void>;
  seen(tenant: string, revision: number, timeoutMs: number): Promise<number | undefined>;
  /** Resolves with the CPU ms the process reported, NaN when it reported none. */
  stop(): Promise<number>;
}

interface Waiter {
  tenant: string;
  revision: number;
  resolve(at: number | undefined): void;
}

function startMember(args: readonly string[]): Member {
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (data) => {
    stderr += data;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // A report may come before anyone waits for it: the latest per tenant is kept.
  const latest = new Map<string, FleetReport>();
  const waiters = new Set<Waiter>();
  let cpuMs = Number.NaN;
  const ready = new Promise<void>((resolve, reject) => {
    child.on('message', (message: FleetMessage) => {
      if ('ready' in message) {
        resolve();
        return;
      }
      if ('cpuMs' in message) {
        cpuMs = message.cpuMs;
        return;
      }
      const held = latest.get(message.tenant);
      if (held !== undefined && held.revision >= message.revision) return;
      latest.set(message.tenant, message);
      for (const waiter of waiters) {
        if (waiter.tenant === message.tenant && message.revision >= waiter.revision) {
          waiter.resolve(message.at);
        }
      }
    });
    child.once('exit', (code, signal) =>
      reject(
        new Error(`a fleet process exited (${signal ?? code}) before it was ready: ${stderr}`),
      ),
    );
  });
  return {
    child,
    ready,
    seen(tenant, revision, timeoutMs) {
      const held = latest.get(tenant);
      if (held !== undefined && held.revision >= revision) return Promise.resolve(held.at);
      return new Promise((resolve) => {
        const waiter: Waiter = {
          tenant,
          revision,
          resolve: (at) => {
            clearTimeout(timer);
            waiters.delete(waiter);
            resolve(at);
          },
        };
        const timer = setTimeout(() => waiter.resolve(undefined), timeoutMs);
        waiters.add(waiter);
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.send('stop');
        const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(killer);
      }
      return cpuMs;
    },
  };
}
