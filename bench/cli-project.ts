import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI the benchmarks spawn. */
export const BIN: string = fileURLToPath(new URL('../bin/modreg.js', import.meta.url));

/** The children start as a user's shell starts them: without the options tsx or a user set. */
const CHILD_ENV = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => key !== 'NODE_OPTIONS'),
);

/** Runs `node …args` in `cwd` and returns its stdout; a non-zero exit is an error. */
export function spawnNode(args: readonly string[], cwd: string): string {
  const child = spawnSync(process.execPath, args, { cwd, env: CHILD_ENV, encoding: 'utf8' });
  if (child.status !== 0) {
    throw new Error(`node ${args.join(' ')} exited with ${child.status}: ${child.stderr}`);
  }
  return child.stdout;
}

/**
 * A project laid out as the README's walkthrough leaves it: fixtures/saas under modules/,
 * the modreg.config.json `modreg init` writes, the registry `modreg discover` wrote, and a
 * JSON store with a few tenants changed through the CLI. The CLI finds it all by itself.
 */
export async function withCliProject<T>(work: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'modreg-bench-cli-'));
  try {
    cpSync(fileURLToPath(new URL('../fixtures/saas', import.meta.url)), join(dir, 'modules'), {
      recursive: true,
    });
    writeFileSync(join(dir, 'package.json'), '{ "name": "shop", "private": true }\n');
    writeFileSync(
      join(dir, 'modreg.config.json'),
      `${JSON.stringify({ modules: 'modules', registry: '.modreg/registry.json' }, null, 2)}\n`,
    );
    for (const args of SETUP) spawnNode([BIN, ...args], dir);
    return await work(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const SETUP: readonly (readonly string[])[] = [
  ['discover'],
  ['enable', 'acme', 'invoicing', '--with-deps'],
  ['flags', 'set', 'acme', 'billing.new-checkout=true'],
  ['enable', 'globex', 'reports', 'search', '--with-deps'],
  ['enable', 'initech', 'files', 'notifications', '--with-deps'],
  ['enable', 'umbrella', 'admin', '--with-deps'],
];
