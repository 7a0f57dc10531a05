/**
 * The positions of `names` in code-unit order (the order of `Array.prototype.sort()` without
 * a comparator), equal names keeping their input order. An MSD radix sort over character
 * codes, with insertion sort for small groups: for many ASCII names it is about twice as fast
 * as the built-in sort. Names with a non-ASCII character fall back to a comparison sort.
 */
export function nameOrder(names: readonly string[]): Int32Array {
  const order = new Int32Array(names.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  for (const name of names) {
    for (let i = 0; i < name.length; i++) {
      if (name.charCodeAt(i) > 127) {
        return order.sort((a, b) => compare(names[a] as string, names[b] as string) || a - b);
      }
    }
  }
  radix(names, order, new Int32Array(order.length), 0, order.length, 0);
  return order;
}

/** Below this many names a group is finished by insertion sort. */
const SMALL = 24;

/** Sorts `order[lo..hi)`, whose names are equal in their first `depth` characters. */
function radix(
  names: readonly string[],
  order: Int32Array,
  scratch: Int32Array,
  lo: number,
  hi: number,
  depth: number,
): void {
  if (hi - lo <= SMALL) {
    insertion(names, order, lo, hi, depth);
    return;
  }
  // Bucket 0 holds the names that end at `depth`; bucket c + 1 those with code c there.
  const counts = new Int32Array(130);
  for (let i = lo; i < hi; i++) {
    const name = names[order[i] as number] as string;
    const bucket = depth < name.length ? name.charCodeAt(depth) + 1 : 0;
    counts[bucket + 1] = (counts[bucket + 1] as number) + 1;
  }
  for (let b = 1; b < 130; b++) {
    // Every name has the same character here: go on to the next one, nothing to move.
    if (counts[b] === hi - lo) {
      if (b > 1) radix(names, order, scratch, lo, hi, depth + 1);
      return;
    }
  }
  for (let b = 1; b < 130; b++) counts[b] = (counts[b] as number) + (counts[b - 1] as number);
  const starts = counts.slice(0, 130);
  for (let i = lo; i < hi; i++) {
    const id = order[i] as number;
    const name = names[id] as string;
    const bucket = depth < name.length ? name.charCodeAt(depth) + 1 : 0;
    const at = counts[bucket] as number;
    scratch[lo + at] = id;
    counts[bucket] = at + 1;
  }
  order.set(scratch.subarray(lo, hi), lo);
  // Bucket 0 is finished: those names are equal and already in input order.
  for (let b = 1; b < 129; b++) {
    const start = lo + (starts[b] as number);
    const end = lo + (starts[b + 1] as number);
    if (end - start > 1) radix(names, order, scratch, start, end, depth + 1);
  }
}

function insertion(
  names: readonly string[],
  order: Int32Array,
  lo: number,
  hi: number,
  depth: number,
): void {
  for (let i = lo + 1; i < hi; i++) {
    const id = order[i] as number;
    const name = names[id] as string;
    let j = i - 1;
    while (j >= lo && after(names[order[j] as number] as string, name, depth)) {
      order[j + 1] = order[j] as number;
      j--;
    }
    order[j + 1] = id;
  }
}

/** `a > b` in code-unit order, knowing they agree on their first `depth` characters. */
function after(a: string, b: string, depth: number): boolean {
  const length = Math.min(a.length, b.length);
  for (let i = depth; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return x > y;
  }
  return a.length > b.length;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
