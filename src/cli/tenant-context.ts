import { userInfo } from 'node:os';
import type { PlanningRegistry } from '../planner/types.js';
import { openStore } from '../stores/open-store.js';
import type { Store } from '../stores/types.js';
import { type ConfigFlags, type ResolvedConfig, resolveConfig } from './config.js';
import type { CommandContext } from './context.js';
import { loadModules } from './module-source.js';
import { createOutput } from './render.js';

/** What the tenant commands work with. */
export interface TenantContext {
  config: ResolvedConfig;
  store: Store;
  registry: PlanningRegistry;
  /** Who is making changes: `--actor`, else the OS user. */
  actor: string;
}

/** What the commands that only read the store work with. */
export interface StoreContext {
  config: ResolvedConfig;
  store: Store;
}

/** Flags of the tenant commands. */
export interface TenantFlags extends ConfigFlags {
  actor?: string;
}

/**
 * Resolves the settings, loads the modules (the registry file `modreg discover` wrote, or a
 * scan of `--modules`) and opens the store, runs `work`, and closes the store whatever
 * happens.
 */
export async function withTenantContext<T>(
  ctx: CommandContext,
  flags: TenantFlags,
  work: (tenants: TenantContext) => Promise<T>,
): Promise<T> {
  const config = await resolveConfig(ctx, flags);
  const registry = await loadModules(ctx, config);
  return withOpenStore(ctx, config, (store) =>
    work({ config, store, registry, actor: flags.actor ?? defaultActor(ctx) }),
  );
}

/** Like {@link withTenantContext}, for commands that need only the store: no registry. */
export async function withStore<T>(
  ctx: CommandContext,
  flags: ConfigFlags,
  work: (context: StoreContext) => Promise<T>,
): Promise<T> {
  const config = await resolveConfig(ctx, flags);
  return withOpenStore(ctx, config, (store) => work({ config, store }));
}

async function withOpenStore<T>(
  ctx: CommandContext,
  config: ResolvedConfig,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const out = createOutput(ctx);
  const told = new Set<string>();
  const store = await openStore(config.store, {
    ...(config.historyLimit === undefined ? {} : { historyLimit: config.historyLimit }),
    // Most commands only read; main()'s signal listener does not mind signal-exit coming late.
    loadLockOnWrite: true,
    // A lock left by a process that died holds a command up until it goes stale: say why.
    onLockWait: ({ tenant }) => {
      if (told.has(tenant)) return;
      told.add(tenant);
      out.diagnostic(
        `modreg: waiting for the lock of tenant "${tenant}", held by another modreg process; if none is running, the lock of the one that died goes stale within 10 s and is taken over.`,
      );
    },
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function defaultActor(ctx: CommandContext): string {
  try {
    return userInfo().username;
  } catch {
    return ctx.io.env.USER ?? ctx.io.env.USERNAME ?? 'unknown';
  }
}
