import { nameOrder } from './sort-names.js';
import type { GraphModule } from './types.js';

/**
 * The module graph in compact form: ids are positions in name order, and each module's
 * dependencies sit in one flat array (CSR), sorted by id. Edge `e` goes from `edgeFrom[e]`
 * (the dependent) to `edgeTo[e]` (the dependency).
 */
export interface IndexedGraph {
  names: string[];
  /** Id by name; a null-prototype object, faster here than a Map and safe for any name. */
  ids: Record<string, number | undefined>;
  /** Dependencies of `v` are edges `depStart[v] .. depStart[v + 1] - 1`. */
  depStart: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** 1 for an optional edge. */
  edgeOptional: Uint8Array;
  /** How many edges are optional (often none: then ordering can skip their bookkeeping). */
  optionalEdges: number;
  /** Dependents of `v` are `edgeIndexByTarget[targetStart[v] .. targetStart[v + 1] - 1]`. */
  targetStart: Int32Array;
  edgeIndexByTarget: Int32Array;
  /** Required dependencies not among the modules, per module id (sorted names). */
  missing: Map<number, string[]>;
  /** Why a module cannot load by itself, per module id. */
  unloadable: Map<number, string>;
}

/**
 * Indexes `modules`. A later module with an already seen name is ignored, a self-dependency
 * and repeated dependencies count once, and a module both required and optional is required.
 */
export function indexGraph(modules: readonly GraphModule[]): IndexedGraph {
  const order = nameOrder(modules.map((m) => m.name));
  const names: string[] = [];
  const byId: GraphModule[] = [];
  const ids: Record<string, number | undefined> = Object.create(null);
  let capacity = 0;
  for (let k = 0; k < order.length; k++) {
    const m = modules[order[k] as number] as GraphModule;
    // Equal names are adjacent, first given first: a repeated name is skipped.
    if (m.name === names[names.length - 1]) continue;
    ids[m.name] = names.length;
    names.push(m.name);
    byId.push(m);
    capacity += m.requires.length + (m.optional?.length ?? 0);
  }
  const n = names.length;

  const missing = new Map<number, string[]>();
  const unloadable = new Map<number, string>();
  const depStart = new Int32Array(n + 1);
  // Each dependency as 2 × id + 1 for optional: sorting the codes sorts by id.
  const codes = new Int32Array(capacity);
  const seen = new Int32Array(n).fill(-1);
  let count = 0;
  for (let v = 0; v < n; v++) {
    const m = byId[v] as GraphModule;
    if (m.unloadable !== undefined) unloadable.set(v, m.unloadable);
    const start = count;
    for (const dep of m.requires) {
      const d = ids[dep];
      if (d === undefined) addMissing(missing, v, dep);
      else if (d !== v && seen[d] !== v) {
        seen[d] = v;
        codes[count++] = 2 * d;
      }
    }
    if (m.optional !== undefined) {
      for (const dep of m.optional) {
        const d = ids[dep];
        if (d !== undefined && d !== v && seen[d] !== v) {
          seen[d] = v;
          codes[count++] = 2 * d + 1;
        }
      }
    }
    sortSegment(codes, start, count);
    depStart[v + 1] = count;
  }

  const edgeFrom = new Int32Array(count);
  const edgeTo = new Int32Array(count);
  const edgeOptional = new Uint8Array(count);
  const targetStart = new Int32Array(n + 1);
  let optionalEdges = 0;
  for (let v = 0; v < n; v++) {
    const end = depStart[v + 1] as number;
    for (let e = depStart[v] as number; e < end; e++) {
      const code = codes[e] as number;
      const d = code >> 1;
      edgeFrom[e] = v;
      edgeTo[e] = d;
      edgeOptional[e] = code & 1;
      optionalEdges += code & 1;
      targetStart[d + 1] = (targetStart[d + 1] as number) + 1;
    }
  }
  for (let v = 0; v < n; v++) {
    targetStart[v + 1] = (targetStart[v + 1] as number) + (targetStart[v] as number);
  }
  const fill = targetStart.slice(0, n);
  const edgeIndexByTarget = new Int32Array(count);
  for (let e = 0; e < count; e++) {
    const d = edgeTo[e] as number;
    edgeIndexByTarget[fill[d] as number] = e;
    fill[d] = (fill[d] as number) + 1;
  }
  for (const absent of missing.values()) absent.sort();
  return {
    names,
    ids,
    depStart,
    edgeFrom,
    edgeTo,
    edgeOptional,
    optionalEdges,
    targetStart,
    edgeIndexByTarget,
    missing,
    unloadable,
  };
}

/** Code-unit order: the same everywhere, whatever the locale. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function addMissing(missing: Map<number, string[]>, v: number, dep: string): void {
  const absent = missing.get(v);
  if (absent === undefined) missing.set(v, [dep]);
  else if (!absent.includes(dep)) absent.push(dep);
}

/** Sorts `codes[start..end)`: insertion sort for the usual short list. */
function sortSegment(codes: Int32Array, start: number, end: number): void {
  if (end - start > 16) {
    codes.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const code = codes[i] as number;
    let j = i - 1;
    while (j >= start && (codes[j] as number) > code) {
      codes[j + 1] = codes[j] as number;
      j--;
    }
    codes[j + 1] = code;
  }
}
