import type { Finding } from '../../doctor/finding.js';
import { problemFindings, registryFindings } from '../../doctor/registry-findings.js';
import { unavailableModules } from '../../doctor/unavailable-modules.js';
import { isModregError } from '../../errors.js';
import { createPlanningRegistry } from '../../planner/index.js';
import type { PlanningRegistry } from '../../planner/types.js';
import { discoverModules } from '../../registry/discover.js';
import { readRegistryFile } from '../../registry/registry-file.js';
import type { Registry } from '../../registry/types.js';
import type { Store } from '../../stores/types.js';
import type { ResolvedConfig } from '../config.js';
import { type CommandContext, ExitCode } from '../context.js';
import { storeFindings } from '../doctor/store-findings.js';
import { writeProbe } from '../doctor/write-probe.js';
import { registryName } from '../module-source.js';
import { createOutput, plural } from '../render.js';
import { statePages } from '../state-pages.js';
import { type TenantFlags, withStore } from '../tenant-context.js';

/**
 * `modreg doctor`: the store answers, exists and takes writes, the registry file matches the modules on
 * disk, and no tenant has a module enabled that is gone, blocked, or now requires a module
 * the tenant has not enabled (a new dependency silently stops a module from loading).
 */
export default async function doctor(
  ctx: CommandContext,
  _args: string[],
  flags: TenantFlags,
): Promise<number> {
  return withStore(ctx, flags, async ({ store, config }) => {
    const out = createOutput(ctx);
    const current = await discoverModules({
      root: config.root,
      modulesDir: config.modules,
      ignore: config.ignore,
      jsonOnly: config.jsonOnly,
    });
    const findings = [
      ...(await storeFindings(store, config.storeGiven)),
      ...(await writeProbe(store, config.store)),
      ...(await registryFileFindings(config, current)),
      ...problemFindings(current),
    ];
    const registry = createPlanningRegistry({
      modules: current.modules,
      order: current.graph.order,
      blocked: current.graph.blocked,
    });
    const tenantCount = await checkTenants(store, registry, findings);
    if (ctx.global.json) {
      out.json({
        ok: findings.length === 0,
        store: { kind: store.kind, location: store.location },
        tenants: tenantCount,
        findings,
      });
    } else {
      out.result(
        `store     ${store.kind} ${store.location}: reachable, ${plural(tenantCount, 'tenant')}`,
      );
      for (const f of findings)
        out.result(`${out.paint.yellow('!')} ${out.paint.bold(f.subject)}: ${f.message}`);
      if (findings.length === 0) out.result(out.paint.green('✔ no problems found'));
      else out.diagnostic(`${plural(findings.length, 'problem')} found.`);
    }
    return findings.length === 0 ? ExitCode.ok : ExitCode.invalid;
  });
}

/** The registry file against the modules on disk; a missing or broken one is a finding. */
async function registryFileFindings(config: ResolvedConfig, current: Registry): Promise<Finding[]> {
  const name = registryName(config);
  try {
    return registryFindings(await readRegistryFile(config.registry), current, name);
  } catch (error) {
    if (!isModregError(error)) throw error;
    return [{ check: 'registry', subject: name, message: error.message }];
  }
}

/**
 * Adds what would not load for each tenant, and each tenant that cannot be read, page by
 * page; returns how many tenants there are.
 */
async function checkTenants(
  store: Store,
  registry: PlanningRegistry,
  findings: Finding[],
): Promise<number> {
  let count = 0;
  for await (const page of statePages(store)) {
    count += page.states.length + page.unreadable.length;
    for (const { tenant, message } of page.unreadable)
      findings.push({ check: 'tenant', subject: tenant, message: `cannot be read: ${message}` });
    for (const state of page.states) {
      for (const { message } of unavailableModules(registry, state))
        findings.push({ check: 'tenant', subject: state.tenant, message });
    }
  }
  return count;
}
