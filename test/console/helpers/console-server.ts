import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { expect } from 'vitest';
import { type ServeProcess, startServe } from '../../admin/helpers/serve-process.js';
import { fixturesDir, runCli, spawnCli } from '../../helpers/cli.js';

/** A `modreg serve` over a temp copy of the example project, for a whole test file. */
export interface ConsoleServer {
  cwd: string;
  url: string;
  token: string;
  /** A read-only token (MODREG_ADMIN_READ_TOKEN). */
  readToken: string;
  serve: ServeProcess;
  /** Runs the built CLI in the project (another process: a change made elsewhere). */
  cli(args: readonly string[]): Promise<unknown>;
  stop(): Promise<void>;
}

/** The write token the tests sign in with. */
export const CONSOLE_TOKEN = 'console-test-token-0123456789';

/** The read-only token. */
export const CONSOLE_READ_TOKEN = 'console-read-token-0123456789';

/** Options of {@link startConsoleServer}. */
export interface ConsoleServerOptions {
  /**
   * Module directories (under fixtures/) added to the example's modules, such as
   * `invalid/cycle/a`; the registry is then written with `discover --force`, blocked
   * modules and all. @default []
   */
  extraModules?: readonly string[];
}

/**
 * fixtures/saas copied to a temp directory, discovered, `setup` CLI commands run (tenants to
 * show), then `modreg serve` on a free port with MODREG_ADMIN_TOKEN and
 * MODREG_ADMIN_READ_TOKEN set.
 */
export async function startConsoleServer(
  setup: readonly string[][] = [],
  options: ConsoleServerOptions = {},
): Promise<ConsoleServer> {
  const cwd = await mkdtemp(join(tmpdir(), 'modreg-console-'));
  await cp(join(fixturesDir, 'saas'), join(cwd, 'modules'), { recursive: true });
  const extra = options.extraModules ?? [];
  for (const dir of extra) {
    await cp(join(fixturesDir, dir), join(cwd, 'modules', basename(dir)), { recursive: true });
  }
  const discover = await runCli(extra.length === 0 ? ['discover'] : ['discover', '--force'], {
    cwd,
  });
  expect(discover.code, discover.stderr).toBe(extra.length === 0 ? 0 : 1);
  const cli = async (args: readonly string[]) => {
    const run = await spawnCli([...args, '--json'], { cwd });
    if (run.code !== 0)
      throw new Error(`modreg ${args.join(' ')} exited ${run.code}: ${run.stderr}`);
    return JSON.parse(run.stdout) as unknown;
  };
  for (const args of setup) await cli(args);
  const { child, listening } = startServe(cwd, [], {
    MODREG_ADMIN_TOKEN: CONSOLE_TOKEN,
    MODREG_ADMIN_READ_TOKEN: CONSOLE_READ_TOKEN,
  });
  const serve = await listening.catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return {
    cwd,
    url: serve.url,
    token: CONSOLE_TOKEN,
    readToken: CONSOLE_READ_TOKEN,
    serve,
    cli,
    async stop() {
      await serve.stop().catch(() => child.kill('SIGKILL'));
      await rm(cwd, { recursive: true, force: true });
    },
  };
}
