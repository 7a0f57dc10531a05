import { access } from 'node:fs/promises';
import { relative } from 'node:path';
import { createPlanningRegistry } from '../planner/planning-registry.js';
import type { PlanningRegistry } from '../planner/types.js';
import { readRegistryFile } from '../registry/registry-file.js';
import type { ResolvedConfig } from './config.js';
import type { CommandContext } from './context.js';
import { createOutput, plural } from './render.js';

/**
 * The modules a tenant command plans against: a scan of the modules directory when
 * `--modules` was given (a note says how many configs have problems: their modules are
 * blocked), else the registry file `modreg discover` wrote — the one the runtime reads.
 */
export async function loadModules(
  ctx: CommandContext,
  config: ResolvedConfig,
): Promise<PlanningRegistry> {
  if (config.modulesFrom === 'flag') {
    // Scanning loads the globber, the checks and semver; reading the registry file needs none.
    const { discoverModules } = await import('../registry/discover.js');
    const scanned = await discoverModules({
      root: config.root,
      modulesDir: config.modules,
      ignore: config.ignore,
      jsonOnly: config.jsonOnly,
    });
    const { problems, graph } = scanned;
    if (problems.length > 0 || graph.blocked.length > 0) {
      createOutput(ctx).note(
        `${scanned.modulesDir}: ${plural(problems.length, 'config problem')}, ${graph.blocked.length} blocked (run "modreg validate --modules ${scanned.modulesDir}"); blocked modules cannot be enabled.`,
      );
    }
    return createPlanningRegistry({
      modules: scanned.modules,
      order: graph.order,
      blocked: graph.blocked,
    });
  }
  const file = await readRegistryFile(config.registry);
  return createPlanningRegistry({
    modules: file.modules,
    order: file.order,
    blocked: file.blocked,
  });
}

/**
 * The modules when there are some to be had — `--modules`, or a registry file that exists —
 * and undefined otherwise, for commands that only show more with them (`tenants`, `status`
 * without a tenant).
 */
export async function loadModulesIfAny(
  ctx: CommandContext,
  config: ResolvedConfig,
): Promise<PlanningRegistry | undefined> {
  if (config.modulesFrom !== 'flag') {
    const exists = await access(config.registry).then(
      () => true,
      () => false,
    );
    if (!exists) return undefined;
  }
  return loadModules(ctx, config);
}

/** The registry file as shown: relative to the working directory. */
export function registryName(config: ResolvedConfig): string {
  return relative(config.root, config.registry) || config.registry;
}
