import { discoverModules } from '../registry/discover.js';
import type { Registry } from '../registry/types.js';
import { type ConfigFlags, type ResolvedConfig, resolveConfig } from './config.js';
import type { CommandContext } from './context.js';

/** The flags of the commands that scan modules (`--modules`, `--ignore`, `--json-only`). */
export interface ScanFlags extends ConfigFlags {}

/** Resolves the settings and discovers the modules, for discover, validate and graph. */
export async function scanModules(
  ctx: CommandContext,
  flags: ScanFlags,
): Promise<{ config: ResolvedConfig; registry: Registry }> {
  const config = await resolveConfig(ctx, flags);
  const registry = await discoverModules({
    root: config.root,
    modulesDir: config.modules,
    ignore: config.ignore,
    jsonOnly: config.jsonOnly,
  });
  return { config, registry };
}

/** True when the registry is fit to load: no problems and no blocked module. */
export function isClean(registry: Registry): boolean {
  return registry.problems.length === 0 && registry.graph.blocked.length === 0;
}
