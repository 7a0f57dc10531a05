/**
 * A set of ids in `[0, capacity)` that hands out its smallest id first. Module ids are
 * assigned in name order, so the smallest id is the first name: ties in the load order go by
 * name. A tree of 32-bit words (each bit says "some id below is present") makes adding and
 * taking the smallest a few word operations each, whatever the size.
 */
export interface IdQueue {
  push(id: number): void;
  /** Removes and returns the smallest id, or -1 when empty. */
  pop(): number;
}

/** Creates a queue able to hold the ids `0 .. capacity - 1`. */
export function createIdQueue(capacity: number): IdQueue {
  // levels[0] has one bit per id; each level above has one bit per word of the level below.
  const levels: Int32Array[] = [];
  for (let words = Math.ceil(Math.max(capacity, 1) / 32); ; words = Math.ceil(words / 32)) {
    levels.push(new Int32Array(words));
    if (words === 1) break;
  }
  const top = levels.length - 1;
  let size = 0;
  return {
    push(id) {
      const bottom = levels[0] as Int32Array;
      if (((bottom[id >>> 5] as number) & (1 << (id & 31))) !== 0) return;
      size++;
      for (let level = 0, i = id; level <= top; level++, i >>>= 5) {
        const words = levels[level] as Int32Array;
        const word = words[i >>> 5] as number;
        words[i >>> 5] = word | (1 << (i & 31));
        if (word !== 0) break;
      }
    },
    pop() {
      if (size === 0) return -1;
      let i = 0;
      for (let level = top; level >= 0; level--) {
        const word = (levels[level] as Int32Array)[i] as number;
        i = (i << 5) | (31 - Math.clz32(word & -word));
      }
      size--;
      for (let level = 0, j = i; level <= top; level++, j >>>= 5) {
        const words = levels[level] as Int32Array;
        const word = (words[j >>> 5] as number) & ~(1 << (j & 31));
        words[j >>> 5] = word;
        if (word !== 0) break;
      }
      return i;
    },
  };
}
