/**
 * A binary min-heap of non-negative integers. Module ids are assigned in name order, so
 * popping the smallest id is popping the first name: ties in the load order go by name.
 */
export interface IdHeap {
  push(id: number): void;
  /** The smallest id, or -1 when empty. */
  pop(): number;
  readonly size: number;
}

/** Creates a heap able to hold `capacity` ids. */
export function createIdHeap(capacity: number): IdHeap {
  const items = new Int32Array(Math.max(capacity, 1));
  let size = 0;
  return {
    get size() {
      return size;
    },
    push(id) {
      let i = size++;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const p = items[parent] as number;
        if (p <= id) break;
        items[i] = p;
        i = parent;
      }
      items[i] = id;
    },
    pop() {
      if (size === 0) return -1;
      const top = items[0] as number;
      const last = items[--size] as number;
      let i = 0;
      for (;;) {
        let child = 2 * i + 1;
        if (child >= size) break;
        const right = child + 1;
        if (right < size && (items[right] as number) < (items[child] as number)) child = right;
        const c = items[child] as number;
        if (c >= last) break;
        items[i] = c;
        i = child;
      }
      items[i] = last;
      return top;
    },
  };
}
