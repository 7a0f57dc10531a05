import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { createAdminHandler } from '../../admin/create-admin-handler.js';
import { parseTokenFile } from '../../admin/token-file.js';
import type { AdminToken } from '../../admin/types.js';
import { ModregError } from '../../errors.js';
import { createModreg } from '../../runtime/create-modreg.js';
import type { RegistrySource } from '../../runtime/options.js';
import { type ResolvedConfig, resolveConfig } from '../config.js';
import type { CliIO, CommandContext } from '../context.js';
import { createOutput } from '../render.js';
import type { TenantFlags } from '../tenant-context.js';

type ServeFlags = TenantFlags & {
  port?: string;
  host?: string;
  tokenFile?: string;
  ignore?: string[];
  jsonOnly?: boolean;
};

/**
 * `modreg serve`: the admin API and console over the configured registry and store, until
 * SIGINT or SIGTERM (then it closes the event streams, the server and the store: exit 0).
 * Tokens from MODREG_ADMIN_TOKEN, MODREG_ADMIN_READ_TOKEN and --token-file; with none, one
 * is made for the run and printed once on stderr.
 */
export default async function serve(
  ctx: CommandContext,
  _args: string[],
  flags: ServeFlags,
): Promise<number> {
  const out = createOutput(ctx);
  ctx.io.serving?.();
  const port = portOf(flags.port ?? '4000');
  const host = flags.host ?? '127.0.0.1';
  const config = await resolveConfig(ctx, flags);
  const tokens = await adminTokens(ctx, flags.tokenFile);
  const generated = tokens.length === 0 ? randomBytes(32).toString('base64url') : undefined;
  if (generated !== undefined)
    tokens.push({ token: generated, actor: 'admin-token', access: 'write' });
  const log = (message: string) => ctx.io.stderr.write(`${message}\n`);
  const modreg = createModreg({
    root: config.root,
    registry: registrySource(config),
    store: config.store,
    ...(config.historyLimit === undefined ? {} : { historyLimit: config.historyLimit }),
    actor: 'modreg-admin',
    logger: { info() {}, warn: log, error: log },
  });
  let server: Server | undefined;
  // Listening from the start: a signal while starting stops the start, cleanly too.
  let stopped: string | undefined;
  const signalled = untilSignal(ctx.io).then((signal) => {
    stopped = signal;
    return signal;
  });
  try {
    await Promise.race([modreg.ready(), signalled]);
    if (stopped !== undefined) return 0;
    const modulesDir = modulesToCompare(config);
    const handler = createAdminHandler(modreg, {
      tokens,
      logger: { info() {}, warn: log, error: log },
      ...(modulesDir === undefined
        ? {}
        : {
            doctor: {
              modulesDir,
              root: config.root,
              ignore: config.ignore,
              jsonOnly: config.jsonOnly,
            },
          }),
    });
    server = createServer(handler);
    const url = await listen(server, port, host);
    if (!isLoopback(host)) {
      out.diagnostic(
        `modreg serve: listening on ${host}, reachable from other machines: put it behind TLS (a reverse proxy) so tokens never cross the network in clear.`,
      );
    }
    if (generated !== undefined) {
      out.diagnostic(
        `Access token for ${url} (made for this run; set MODREG_ADMIN_TOKEN or --token-file to choose one):\n${generated}`,
      );
    }
    // The URL last: whoever waits for it has the token and the warnings already.
    if (ctx.global.json) out.json({ url });
    else out.result(`modreg admin listening on ${url}`);
    const signal = await signalled;
    out.note(`modreg serve: ${signal}, closing.`);
    await handler.close();
    await closeServer(server);
    return 0;
  } finally {
    if (server?.listening) server.closeAllConnections();
    await modreg.close();
  }
}

/** The tokens the environment and the token file give. */
async function adminTokens(
  ctx: CommandContext,
  tokenFile: string | undefined,
): Promise<AdminToken[]> {
  const { env, cwd } = ctx.io;
  const tokens: AdminToken[] = [];
  if (env.MODREG_ADMIN_TOKEN)
    tokens.push({ token: env.MODREG_ADMIN_TOKEN, actor: 'admin-token', access: 'write' });
  if (env.MODREG_ADMIN_READ_TOKEN) {
    tokens.push({ token: env.MODREG_ADMIN_READ_TOKEN, actor: 'admin-read-token', access: 'read' });
  }
  if (tokenFile !== undefined) {
    const file = resolve(cwd, tokenFile);
    const text = await readFile(file, 'utf8').catch((error: Error) => {
      throw new ModregError('usage', `Cannot read the token file ${tokenFile}: ${error.message}.`);
    });
    tokens.push(...parseTokenFile(text, tokenFile));
  }
  return tokens;
}

/** The registry file, or — given `--modules` — a scan of that directory (rescanned live). */
function registrySource(config: ResolvedConfig): RegistrySource {
  if (config.modulesFrom !== 'flag') return config.registry;
  return { modulesDir: config.modules, ignore: config.ignore, jsonOnly: config.jsonOnly };
}

/**
 * The modules directory health compares the registry file with (the configured one, else the
 * one the registry file records); none when the registry is a scan itself.
 */
function modulesToCompare(config: ResolvedConfig): string | undefined {
  return config.modulesFrom === 'flag' ? undefined : config.modules;
}

function portOf(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new ModregError(
      'usage',
      `--port ${text} is not a port: use a number from 0 (any free port) to 65535.`,
    );
  }
  return port;
}

/** Listens; resolves with the URL, or fails with an environment error saying why not. */
function listen(server: Server, port: number, host: string): Promise<string> {
  return new Promise((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? `port ${port} is in use; choose another with --port`
          : error.code === 'EACCES'
            ? `not allowed to listen on port ${port}; use a port above 1023`
            : `${error.message}; check --host and --port`;
      fail(
        new ModregError('environment', `Cannot listen on ${host}:${port}: ${why}.`, {
          cause: error,
        }),
      );
    });
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address !== null ? address.port : port;
      done(`http://${host.includes(':') ? `[${host}]` : host}:${actual}/`);
    });
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

/** Resolves with the signal's name once SIGINT or SIGTERM arrives. */
function untilSignal(io: CliIO): Promise<string> {
  return new Promise((done) => {
    if (io.signals === undefined) return;
    io.signals.once(done);
  });
}

/** Closes the server: idle connections at once, busy ones when their response ends. */
function closeServer(server: Server): Promise<void> {
  return new Promise((done) => {
    server.close(() => done());
    server.closeIdleConnections();
  });
}
