/** A seeded source of numbers in [0, 1): the same seed gives the same generated inputs. */
export type Random = () => number;

/** mulberry32: small, fast and good enough to generate benchmark inputs. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, below). */
export function randomInt(random: Random, below: number): number {
  return Math.floor(random() * below);
}

/** `count` distinct integers in [0, below), or all of them when `below` ≤ `count`. */
export function pickDistinct(random: Random, below: number, count: number): number[] {
  const wanted = Math.min(count, below);
  const picked = new Set<number>();
  while (picked.size < wanted) picked.add(randomInt(random, below));
  return [...picked];
}

/** Shuffles `items` in place (Fisher–Yates) and returns it. */
export function shuffle<T>(items: T[], random: Random): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(random, i + 1);
    const item = items[i] as T;
    items[i] = items[j] as T;
    items[j] = item;
  }
  return items;
}
