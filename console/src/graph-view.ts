import { el, svg, uniqueId } from './dom.js';
import type { Modules, Tenant } from './types.js';

const NODE_WIDTH = 132;
const NODE_HEIGHT = 28;
const COLUMN = 176;
const ROW = 40;
const MARGIN = 12;

/**
 * The dependency graph as SVG: one column per layer of the load order (a module's
 * dependencies are to its left), blocked modules in a last column; the tenant's enabled
 * modules are filled, cycles and blocked modules drawn in red.
 */
export function graphView(modules: Modules, tenant: Tenant): HTMLElement {
  const blocked = new Set(modules.blocked.map((b) => b.module));
  const columns = modules.layers.map((layer) => [...layer]);
  const placed = new Set(columns.flat());
  const rest = modules.modules.map((m) => m.name).filter((name) => !placed.has(name));
  if (rest.length > 0) columns.push(rest);
  const at = new Map<string, { x: number; y: number }>();
  columns.forEach((column, i) => {
    column.forEach((name, j) => {
      at.set(name, { x: MARGIN + i * COLUMN, y: MARGIN + j * ROW });
    });
  });
  const cycleEdges = new Set<string>();
  for (const cycle of modules.cycles) {
    for (let i = 0; i + 1 < cycle.length; i++) cycleEdges.add(`${cycle[i]}\u0000${cycle[i + 1]}`);
  }
  const on = new Set(tenant.modules);
  const edges: SVGElement[] = [];
  for (const record of modules.modules) {
    const to = at.get(record.name);
    for (const dep of Object.keys(record.dependencies)) {
      const from = at.get(dep);
      if (from === undefined || to === undefined) continue;
      const red = cycleEdges.has(`${record.name}\u0000${dep}`) || blocked.has(record.name);
      edges.push(edge(from, to, red ? 'edge bad' : on.has(record.name) ? 'edge on' : 'edge'));
    }
  }
  const nodes = [...at].map(([name, point]) => {
    const state = blocked.has(name) ? 'blocked' : on.has(name) ? 'on' : 'off';
    return svg('g', { class: `node ${state}`, transform: `translate(${point.x} ${point.y})` }, [
      svg('title', {}, [
        `${name}: ${state === 'on' ? 'enabled for this tenant' : state === 'blocked' ? 'blocked' : 'off'}`,
      ]),
      svg('rect', { width: NODE_WIDTH, height: NODE_HEIGHT, rx: 6 }),
      svg('text', { x: NODE_WIDTH / 2, y: NODE_HEIGHT / 2 + 4, 'text-anchor': 'middle' }, [
        name.length > 18 ? `${name.slice(0, 17)}…` : name,
      ]),
    ]);
  });
  const width = MARGIN * 2 + Math.max(1, columns.length) * COLUMN - (COLUMN - NODE_WIDTH);
  const height =
    MARGIN * 2 + Math.max(1, ...columns.map((c) => c.length)) * ROW - (ROW - NODE_HEIGHT);
  const titleId = uniqueId('graph-title');
  const picture = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-labelledby': titleId },
    [
      svg('title', { id: titleId }, [
        `Dependency graph of ${modules.modules.length} modules in ${modules.layers.length} layers; ${on.size} enabled for ${tenant.tenant}${blocked.size > 0 ? `; ${blocked.size} blocked` : ''}`,
      ]),
      svg('g', { class: 'edges' }, edges),
      svg('g', { class: 'nodes' }, nodes),
    ],
  );
  return el('div', { class: 'graph' }, [
    el('div', { class: 'graph-scroll' }, [picture]),
    el('p', { class: 'legend' }, [
      el('span', { class: 'key on', text: 'enabled' }),
      el('span', { class: 'key off', text: 'off' }),
      el('span', { class: 'key blocked', text: 'blocked or in a cycle' }),
    ]),
    modules.cycles.length === 0
      ? null
      : el(
          'ul',
          { class: 'warnings', attrs: { 'aria-label': 'Dependency cycles' } },
          modules.cycles.map((cycle) => el('li', { text: `cycle: ${cycle.join(' → ')}` })),
        ),
  ]);
}

/** A curve from the right side of the dependency to the left side of the module needing it. */
function edge(
  from: { x: number; y: number },
  to: { x: number; y: number },
  cls: string,
): SVGElement {
  const x1 = from.x + NODE_WIDTH;
  const y1 = from.y + NODE_HEIGHT / 2;
  const x2 = to.x;
  const y2 = to.y + NODE_HEIGHT / 2;
  const bend = Math.max(24, (x2 - x1) / 2);
  // A cycle's or a blocked module's edge may point backwards: it still bends outwards.
  return svg('path', {
    class: cls,
    d: `M${x1},${y1} C${x1 + bend},${y1} ${x2 - bend},${y2} ${x2},${y2}`,
  });
}
