import { shownPlain } from '../message-text.js';
import type { DependencyGraph, GraphModule } from './types.js';

/**
 * The graph in Graphviz dot: an arrow from each module to what it depends on, optional
 * dependencies dashed, cycle edges red, blocked modules red, missing modules dotted.
 */
export function toDot(modules: readonly GraphModule[], graph: DependencyGraph): string {
  const view = describe(modules, graph);
  // Names come from configs: quoted for dot, with what a terminal would act on escaped.
  const q = (name: string) => shownPlain(JSON.stringify(name));
  const lines = ['digraph modreg {', '  rankdir=BT;', '  node [shape=box, fontname="Helvetica"];'];
  for (const name of view.nodes) {
    const attributes = view.missing.has(name)
      ? ` [style=dotted, label=${q(`${name}\n(missing)`)}]`
      : view.blocked.has(name)
        ? ` [color=red, fontcolor=red, label=${q(`${name}\n(blocked)`)}]`
        : '';
    lines.push(`  ${q(name)}${attributes};`);
  }
  for (const edge of view.edges) {
    const style: string[] = [];
    if (edge.optional) style.push('style=dashed');
    if (edge.cycle) style.push('color=red', 'penwidth=2');
    if (edge.dropped) style.push('color=gray', 'label="ignored"');
    lines.push(
      `  ${q(edge.from)} -> ${q(edge.to)}${style.length > 0 ? ` [${style.join(', ')}]` : ''};`,
    );
  }
  lines.push('}');
  return lines.join('\n');
}

/** The same graph as a Mermaid flowchart, for Markdown that renders Mermaid (GitHub, GitLab). */
export function toMermaid(modules: readonly GraphModule[], graph: DependencyGraph): string {
  const view = describe(modules, graph);
  const id = new Map(view.nodes.map((name, i) => [name, `m${i}`]));
  const lines = ['flowchart BT'];
  for (const name of view.nodes) {
    const label = view.missing.has(name)
      ? `${name} (missing)`
      : view.blocked.has(name)
        ? `${name} (blocked)`
        : name;
    lines.push(`  ${id.get(name)}["${shownPlain(label).replaceAll('"', '#quot;')}"]`);
  }
  const cycleLinks: number[] = [];
  view.edges.forEach((edge, i) => {
    const arrow = edge.optional ? '-.->' : '-->';
    const label = edge.dropped ? '|ignored|' : edge.cycle ? '|cycle|' : '';
    lines.push(`  ${id.get(edge.from)} ${arrow}${label} ${id.get(edge.to)}`);
    if (edge.cycle) cycleLinks.push(i);
  });
  const blocked = view.nodes.filter((name) => view.blocked.has(name)).map((name) => id.get(name));
  const missing = view.nodes.filter((name) => view.missing.has(name)).map((name) => id.get(name));
  lines.push('  classDef blocked fill:#fde2e2,stroke:#c0392b,color:#c0392b');
  lines.push('  classDef missing stroke-dasharray:4 3,color:#7f8c8d');
  if (blocked.length > 0) lines.push(`  class ${blocked.join(',')} blocked`);
  if (missing.length > 0) lines.push(`  class ${missing.join(',')} missing`);
  if (cycleLinks.length > 0)
    lines.push(`  linkStyle ${cycleLinks.join(',')} stroke:#c0392b,stroke-width:2px`);
  return lines.join('\n');
}

interface EdgeView {
  from: string;
  to: string;
  optional: boolean;
  cycle: boolean;
  dropped: boolean;
}

/** Nodes (modules, then missing names) and marked edges, sorted by name. */
function describe(modules: readonly GraphModule[], graph: DependencyGraph) {
  const present = new Set(modules.map((m) => m.name));
  const blocked = new Set(graph.blocked.map((b) => b.module));
  const cycleEdges = new Set<string>();
  for (const cycle of graph.cycles) {
    for (let i = 0; i + 1 < cycle.length; i++) cycleEdges.add(`${cycle[i]}\n${cycle[i + 1]}`);
  }
  const dropped = new Set(graph.droppedEdges.map((e) => `${e.from}\n${e.to}`));
  const missing = new Set<string>();
  const edges: EdgeView[] = [];
  for (const m of modules) {
    const seen = new Set<string>();
    const add = (to: string, optional: boolean) => {
      if (to === m.name || seen.has(to) || (optional && !present.has(to))) return;
      seen.add(to);
      if (!present.has(to)) missing.add(to);
      const key = `${m.name}\n${to}`;
      edges.push({
        from: m.name,
        to,
        optional,
        cycle: cycleEdges.has(key),
        dropped: dropped.has(key),
      });
    };
    for (const to of m.requires) add(to, false);
    for (const to of m.optional ?? []) add(to, true);
  }
  const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  edges.sort((a, b) => byName(a.from, b.from) || byName(a.to, b.to));
  const nodes = [...[...present].sort(byName), ...[...missing].sort(byName)];
  return { nodes, edges, blocked, missing };
}
