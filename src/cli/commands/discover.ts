import { relative } from 'node:path';
import { shownPlain } from '../../message-text.js';
import { toRegistryFile, writeRegistryFile } from '../../registry/registry-file.js';
import type { ModuleRecord, Registry } from '../../registry/types.js';
import { type CommandContext, ExitCode } from '../context.js';
import { createOutput, type Output, plural, table } from '../render.js';
import { isClean, type ScanFlags, scanModules } from '../scan.js';
import { reportFindings, shownName } from './validate.js';

/** `modreg discover`: scan, validate, print the modules, write the registry file. */
export default async function discover(
  ctx: CommandContext,
  _args: string[],
  flags: ScanFlags & { force?: boolean },
): Promise<number> {
  const out = createOutput(ctx);
  const { config, registry } = await scanModules(ctx, flags);
  const clean = isClean(registry);
  const file = relative(config.root, config.registry) || config.registry;
  const write = clean || flags.force === true;
  if (write)
    await writeRegistryFile(
      config.registry,
      toRegistryFile(registry, config.root, config.registry, new Date()),
    );
  const { graph } = registry;
  if (ctx.global.json) {
    out.json({
      modules: registry.modules,
      problems: registry.problems,
      order: graph.order,
      cycles: graph.cycles,
      blocked: graph.blocked,
      warnings: graph.warnings,
      registry: { file, written: write },
    });
  } else {
    if (registry.modules.length > 0) out.result(moduleTable(registry, out));
    reportFindings(registry, out);
    if (write)
      out.note(
        `Registry written to ${shownPlain(file)} (${plural(graph.order.length, 'module')} in load order).`,
      );
    else
      out.diagnostic(
        `Registry not written: fix the problems above, or pass --force to write it anyway (${shownPlain(file)}).`,
      );
  }
  return clean ? ExitCode.ok : ExitCode.invalid;
}

function moduleTable(registry: Registry, out: Output): string {
  const { paint } = out;
  const problemsByFile = new Map<string, number>();
  for (const p of registry.problems)
    problemsByFile.set(p.file, (problemsByFile.get(p.file) ?? 0) + 1);
  const blocked = new Set(registry.graph.blocked.map((b) => b.module));
  const rows = registry.modules.map((m) => [
    m.core ? `${shownName(m.name)} ${paint.dim('(core)')}` : shownName(m.name),
    shownPlain(m.version, 40),
    dependencies(m) || paint.dim('—'),
    status(problemsByFile.get(m.file) ?? 0, blocked.has(m.name), out),
  ]);
  return table(['MODULE', 'VERSION', 'DEPENDENCIES', 'STATUS'], rows, paint);
}

/** Dependencies as `users ^1.2.0, audit?`; names and ranges come from configs: escaped. */
function dependencies(m: ModuleRecord): string {
  const shown = (name: string, range: string, mark: string) =>
    range === '*'
      ? `${shownName(name)}${mark}`
      : `${shownName(name)}${mark} ${shownPlain(range, 80)}`;
  const required = Object.entries(m.dependencies).map(([name, range]) => shown(name, range, ''));
  const optional = Object.entries(m.optionalDependencies).map(([name, range]) =>
    shown(name, range, '?'),
  );
  return [...required, ...optional].join(', ');
}

function status(problems: number, blocked: boolean, { paint }: Output): string {
  if (problems > 0) return paint.red(plural(problems, 'problem'));
  if (blocked) return paint.yellow('blocked');
  return paint.green('ok');
}
