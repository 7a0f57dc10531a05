import { relative } from 'node:path';
import type { Finding } from '../../doctor/finding.js';
import { problemFindings, registryFindings } from '../../doctor/registry-findings.js';
import { tenantFindings } from '../../doctor/unavailable-modules.js';
import { createPlanningRegistry } from '../../planner/index.js';
import { discoverModules } from '../../registry/discover.js';
import { readRegistryFile } from '../../registry/registry-file.js';
import { openStore } from '../../stores/open-store.js';
import { tenantPages } from '../../stores/pages.js';
import { resolveConfig } from '../config.js';
import { type CommandContext, ExitCode } from '../context.js';
import { createOutput, plural } from '../render.js';
import type { TenantFlags } from '../tenant-context.js';

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
  const file = await readRegistryFile(config.registry);
  const current = await discoverModules({
    root: config.root,
    modulesDir: config.modules,
    ignore: config.ignore,
    jsonOnly: config.jsonOnly,
  });
  findings.push(
    ...registryFindings(file, current, relative(config.root, config.registry) || config.registry),
    ...problemFindings(current),
  );
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
      for (const tenant of tenants)
        findings.push(...tenantFindings(registry, await store.read(tenant)));
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
