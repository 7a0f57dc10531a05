import { ModregError } from '../../errors.js';
import { toDot, toMermaid } from '../../graph/format.js';
import type { DependencyGraph } from '../../graph/types.js';
import { shownPlain, shownText } from '../../message-text.js';
import { toGraphModule } from '../../registry/normalize.js';
import type { ModuleRecord } from '../../registry/types.js';
import { didYouMean } from '../../suggest.js';
import { type CommandContext, ExitCode } from '../context.js';
import { createOutput, type Output, plural } from '../render.js';
import { isClean, type ScanFlags, scanModules } from '../scan.js';
import { shownName } from './validate.js';

type GraphFormat = 'text' | 'json' | 'dot' | 'mermaid';

/** `modreg graph [module...]`: load order, layers, cycles and blocked modules. */
export default async function graph(
  ctx: CommandContext,
  names: string[],
  flags: ScanFlags & { format: GraphFormat },
): Promise<number> {
  const out = createOutput(ctx);
  const { registry } = await scanModules(ctx, flags);
  const modules = registry.modules.map((m) => toGraphModule(m));
  const keep = names.length === 0 ? undefined : closure(names, registry.modules);
  const view = keep === undefined ? registry.graph : restrict(registry.graph, keep);
  const shown = keep === undefined ? modules : modules.filter((m) => keep.has(m.name));
  const format = ctx.global.json ? 'json' : flags.format;
  if (format === 'json') {
    const { order, layers, cycles, blocked, warnings } = view;
    out.json({ order, layers, cycles, blocked, warnings });
  } else if (format === 'dot') {
    out.result(toDot(shown, view));
  } else if (format === 'mermaid') {
    out.result(toMermaid(shown, view));
  } else {
    out.result(renderText(view, out));
  }
  if (registry.problems.length > 0) {
    out.diagnostic(
      `${plural(registry.problems.length, 'config problem')} found; run "modreg validate" to see them.`,
    );
  }
  const failing =
    keep === undefined
      ? !isClean(registry)
      : view.blocked.length > 0 || registry.problems.length > 0;
  return failing ? ExitCode.invalid : ExitCode.ok;
}

function renderText(view: DependencyGraph, { paint }: Output): string {
  const lines: string[] = [paint.bold(`Load order (${plural(view.order.length, 'module')}):`)];
  const pad = String(view.order.length).length;
  for (const [i, name] of view.order.entries())
    lines.push(`  ${String(i + 1).padStart(pad)}. ${shownName(name)}`);
  if (view.order.length === 0) lines.push('  (none)');
  lines.push(
    '',
    paint.bold(`Layers (${view.layers.length}; a layer's modules can load in parallel):`),
  );
  for (const [i, layer] of view.layers.entries())
    lines.push(`  ${i}: ${layer.map(shownName).join(', ')}`);
  if (view.cycles.length > 0) {
    lines.push('', paint.red.bold(`Cycles (${view.cycles.length}):`));
    for (const cycle of view.cycles) lines.push(`  ${cycle.map(shownName).join(' → ')}`);
  }
  if (view.blocked.length > 0) {
    lines.push('', paint.yellow.bold(`Blocked (${view.blocked.length}):`));
    for (const b of view.blocked)
      lines.push(`  ${paint.bold(shownName(b.module))} ${shownPlain(b.reason, 2_000)}`);
  }
  if (view.warnings.length > 0) {
    lines.push('', paint.yellow.bold(`Warnings (${view.warnings.length}):`));
    for (const w of view.warnings)
      lines.push(`  ${paint.bold(shownName(w.module))}: ${shownPlain(w.message, 2_000)}`);
  }
  return lines.join('\n');
}

/** The named modules and everything they depend on, required or optional. */
function closure(names: readonly string[], modules: readonly ModuleRecord[]): Set<string> {
  const byName = new Map(modules.map((m) => [m.name, m]));
  for (const name of names) {
    if (!byName.has(name)) {
      throw new ModregError(
        'refused',
        `Unknown module ${shownText(name)}.${shownPlain(didYouMean(name, byName.keys()), 200)} Run "modreg discover" to list the modules.`,
      );
    }
  }
  const keep = new Set<string>();
  const stack = [...names];
  for (let name = stack.pop(); name !== undefined; name = stack.pop()) {
    const m = byName.get(name);
    if (keep.has(name) || m === undefined) continue;
    keep.add(name);
    stack.push(...Object.keys(m.dependencies), ...Object.keys(m.optionalDependencies));
  }
  return keep;
}

function restrict(graph: DependencyGraph, keep: ReadonlySet<string>): DependencyGraph {
  return {
    order: graph.order.filter((name) => keep.has(name)),
    layers: graph.layers
      .map((layer) => layer.filter((name) => keep.has(name)))
      .filter((layer) => layer.length > 0),
    cycles: graph.cycles.filter((cycle) => cycle.some((name) => keep.has(name))),
    blocked: graph.blocked.filter((b) => keep.has(b.module)),
    warnings: graph.warnings.filter((w) => keep.has(w.module)),
    droppedEdges: graph.droppedEdges.filter((e) => keep.has(e.from)),
  };
}
