import type { GraphModule } from './types.js';

/**
 * The module graph in compact form: ids are positions in name order, and each module's
 * dependencies sit in one flat array (CSR), sorted by id. Edge `e` goes from `edgeFrom[e]`
 * (the dependent) to `edgeTo[e]` (the dependency).
 */
export interface IndexedGraph {
  names: string[];
  ids: Map<string, number>;
  /** Dependencies of `v` are edges `depStart[v] .. depStart[v + 1] - 1`. */
  depStart: Int32Array;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /** 1 for an optional edge. */
  edgeOptional: Uint8Array;
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
  const byName = new Map<string, GraphModule>();
  for (const m of modules) if (!byName.has(m.name)) byName.set(m.name, m);
  const names = [...byName.keys()].sort(compareNames);
  const n = names.length;
  const ids = new Map<string, number>();
  for (let i = 0; i < n; i++) ids.set(names[i] as string, i);

  const missing = new Map<number, string[]>();
  const unloadable = new Map<number, string>();
  const depStart = new Int32Array(n + 1);
  // Dependency codes, module after module: id + 1 for required, -(id + 1) for optional.
  const codes: number[] = [];
  const seen = new Int32Array(n).fill(-1);
  for (let v = 0; v < n; v++) {
    const m = byName.get(names[v] as string) as GraphModule;
    if (m.unloadable !== undefined) unloadable.set(v, m.unloadable);
    const start = codes.length;
    for (const dep of m.requires) {
      const d = ids.get(dep);
      if (d === undefined) {
        const absent = missing.get(v);
        if (absent === undefined) missing.set(v, [dep]);
        else if (!absent.includes(dep)) absent.push(dep);
      } else if (d !== v && seen[d] !== v) {
        seen[d] = v;
        codes.push(d + 1);
      }
    }
    for (const dep of m.optional ?? []) {
      const d = ids.get(dep);
      if (d !== undefined && d !== v && seen[d] !== v) {
        seen[d] = v;
        codes.push(-(d + 1));
      }
    }
    sortByAbsolute(codes, start);
    depStart[v + 1] = codes.length;
  }
  for (const absent of missing.values()) absent.sort(compareNames);

  const edgeCount = codes.length;
  const edgeFrom = new Int32Array(edgeCount);
  const edgeTo = new Int32Array(edgeCount);
  const edgeOptional = new Uint8Array(edgeCount);
  const targetStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    for (let e = depStart[v] as number; e < (depStart[v + 1] as number); e++) {
      const code = codes[e] as number;
      const d = Math.abs(code) - 1;
      edgeFrom[e] = v;
      edgeTo[e] = d;
      edgeOptional[e] = code < 0 ? 1 : 0;
      targetStart[d + 1] = (targetStart[d + 1] as number) + 1;
    }
  }
  for (let v = 0; v < n; v++) {
    targetStart[v + 1] = (targetStart[v + 1] as number) + (targetStart[v] as number);
  }
  const fill = targetStart.slice(0, n);
  const edgeIndexByTarget = new Int32Array(edgeCount);
  for (let e = 0; e < edgeCount; e++) {
    const d = edgeTo[e] as number;
    edgeIndexByTarget[fill[d] as number] = e;
    fill[d] = (fill[d] as number) + 1;
  }
  return {
    names,
    ids,
    depStart,
    edgeFrom,
    edgeTo,
    edgeOptional,
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

/** Sorts `codes[start..]` by absolute value; insertion sort, as most lists are short. */
function sortByAbsolute(codes: number[], start: number): void {
  if (codes.length - start > 32) {
    const sorted = codes.slice(start).sort((a, b) => Math.abs(a) - Math.abs(b));
    codes.splice(start, sorted.length, ...sorted);
    return;
  }
  for (let i = start + 1; i < codes.length; i++) {
    const code = codes[i] as number;
    const key = Math.abs(code);
    let j = i - 1;
    while (j >= start && Math.abs(codes[j] as number) > key) {
      codes[j + 1] = codes[j] as number;
      j--;
    }
    codes[j + 1] = code;
  }
}
