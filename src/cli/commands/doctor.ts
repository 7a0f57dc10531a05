import { relative } from 'node:path';
import { isModregError } from '../../errors.js';
import { createPlanningRegistry, enabledModules } from '../../planner/index.js';
import type { PlanningRegistry } from '../../planner/types.js';
import { discoverModules } from '../../registry/discover.js';
import type { RegistryFile } from '../../registry/registry-file.js';
import { readRegistryFile } from '../../registry/registry-file.js';
import type { Registry } from '../../registry/types.js';
import { openStore } from '../../stores/open-store.js';
import { tenantPages } from '../../stores/pages.js';
import type { Store } from '../../stores/types.js';
import { resolveConfig } from '../config.js';
import { type CommandContext, ExitCode } from '../context.js';
import { createOutput, plural } from '../render.js';
import type { TenantFlags } from '../tenant-context.js';

/** One finding of `modreg doctor`. */
interface Finding {
  check: 'store' | 'registry' | 'tenant';
  subject: string;
  message: string;
}

/**
 * `modreg doctor`: the store answers, the registry file matches the modules on disk, and no
 * tenant has a module enabled that is gone, blocked, or now requires a module the tenant has
 * not enabled (a new dependency silently stops a module from loading).
 */
export default async function doctor(
  ctx: CommandContext,
  _args: string[],
  flags: TenantFlags,
): Promise<number> {
  const out = createOutput(ctx);
  const config = await resolveConfig(ctx, flags);
  const findings: Finding[] = [];
  const current = await discoverModules({
    root: config.root,
    modulesDir: config.modules,
    ignore: config.ignore,
    jsonOnly: config.jsonOnly,
  });
  const name = relative(config.root, config.registry) || config.registry;
  try {
    findings.push(...compareRegistry(await readRegistryFile(config.registry), current, name));
  } catch (error) {
    if (!isModregError(error)) throw error;
    findings.push({ check: 'registry', subject: name, message: error.message });
  }
  const registry = createPlanningRegistry({
    modules: current.modules,
    order: current.graph.order,
    blocked: current.graph.blocked,
  });
  const store = await openStore(config.store);
  let tenantCount = 0;
  try {
    for await (const tenants of tenantPages(store)) {
      tenantCount += tenants.length;
      for (const tenant of tenants) findings.push(...(await checkTenant(store, registry, tenant)));
    }
  } finally {
    await store.close();
  }
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
}

/** Differences between the registry file and the modules as they are now. */
function compareRegistry(file: RegistryFile, current: Registry, name: string): Finding[] {
  const findings: Finding[] = [];
  const stale = (message: string) =>
    findings.push({
      check: 'registry',
      subject: name,
      message: `${message}; run "modreg discover".`,
    });
  const before = new Map(file.modules.map((m) => [m.name, m]));
  const now = new Map(current.modules.map((m) => [m.name, m]));
  for (const [moduleName, m] of now) {
    const old = before.get(moduleName);
    if (old === undefined) stale(`module "${moduleName}" (${m.file}) is not in the registry file`);
    else if (old.version !== m.version)
      stale(
        `module "${moduleName}" is ${m.version} on disk but ${old.version} in the registry file`,
      );
    else if (JSON.stringify(old.dependencies) !== JSON.stringify(m.dependencies)) {
      stale(`the dependencies of "${moduleName}" changed since the registry file was written`);
    }
  }
  for (const moduleName of before.keys()) {
    if (!now.has(moduleName))
      stale(
        `module "${moduleName}" is in the registry file but no longer in ${current.modulesDir}`,
      );
  }
  if (current.problems.length > 0) {
    findings.push({
      check: 'registry',
      subject: current.modulesDir,
      message: `${plural(current.problems.length, 'config problem')}; run "modreg validate".`,
    });
  }
  return findings;
}

/** What would not load for one tenant, with the modules as they are now. */
async function checkTenant(
  store: Store,
  registry: PlanningRegistry,
  tenant: string,
): Promise<Finding[]> {
  const state = await store.read(tenant);
  const findings: Finding[] = [];
  const found = (message: string) => findings.push({ check: 'tenant', subject: tenant, message });
  const enabled = new Set(enabledModules(registry, state));
  for (const name of state.modules) {
    const module = registry.modules.get(name);
    if (module === undefined) {
      found(
        `"${name}" is enabled, but no such module exists any more; run "modreg disable ${tenant} ${name}".`,
      );
      continue;
    }
    const blocked = registry.blocked.get(name);
    if (blocked !== undefined) {
      found(`"${name}" is enabled but cannot load: it ${blocked}.`);
      continue;
    }
    for (const dep of Object.keys(module.dependencies)) {
      if (!enabled.has(dep)) {
        found(
          `"${name}" now requires "${dep}", which this tenant has not enabled, so "${name}" will not load; run "modreg enable ${tenant} ${dep}" (or "modreg disable ${tenant} ${name}").`,
        );
      }
    }
  }
  return findings;
}
