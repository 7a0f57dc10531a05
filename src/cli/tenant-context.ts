import { userInfo } from 'node:os';
import { createPlanningRegistry } from '../planner/index.js';
import type { PlanningRegistry } from '../planner/types.js';
import { readRegistryFile } from '../registry/registry-file.js';
import { openStore } from '../stores/open-store.js';
import type { Store } from '../stores/types.js';
import { type ConfigFlags, type ResolvedConfig, resolveConfig } from './config.js';
import type { CommandContext } from './context.js';

/** What the tenant commands work with. */
export interface TenantContext {
  config: ResolvedConfig;
  store: Store;
  registry: PlanningRegistry;
  /** Who is making changes: `--actor`, else the OS user. */
  actor: string;
}

/** Flags of the tenant commands. */
export interface TenantFlags extends ConfigFlags {
  actor?: string;
}

/**
 * Resolves the settings, reads the registry file `modreg discover` wrote and opens the store,
 * runs `work`, and closes the store whatever happens.
 */
export async function withTenantContext<T>(
  ctx: CommandContext,
  flags: TenantFlags,
  work: (tenants: TenantContext) => Promise<T>,
): Promise<T> {
  const config = await resolveConfig(ctx, flags);
  const file = await readRegistryFile(config.registry);
  const registry = createPlanningRegistry({
    modules: file.modules,
    order: file.order,
    blocked: file.blocked,
  });
  const store = await openStore(
    config.store,
    config.historyLimit === undefined ? {} : { historyLimit: config.historyLimit },
  );
  try {
    return await work({ config, store, registry, actor: flags.actor ?? defaultActor(ctx) });
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
