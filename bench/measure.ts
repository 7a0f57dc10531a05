/** One contender of a comparison: a name and the work to time. */
export interface Contender<R = unknown> {
  name: string;
  /** The timed work; may return a promise, which is awaited inside the timing. */
  run: () => R | Promise<R>;
}

/** Options for {@link measureInterleaved}. */
export interface MeasureOptions {
  /** Untimed runs of each contender first, to let the JIT settle. */
  warmup: number;
  /** Timed runs of each contender. */
  runs: number;
  /** A contender whose run takes longer is dropped and reported. @default 10_000 */
  limitMs?: number;
}

/** Summary of the timed runs of one contender, in milliseconds. */
export interface Stats {
  runs: number;
  median: number;
  p90: number;
  min: number;
  max: number;
}

/** What measuring a contender gave: its stats, or why it could not be timed. */
export type Outcome =
  | { name: string; ok: true; stats: Stats }
  | { name: string; ok: false; reason: string };

/** True when the process runs with `--expose-gc`: a collection is forced before each run. */
export const gcExposed: boolean = typeof globalThis.gc === 'function';

/**
 * Times contenders round-robin, one run of each per round, the first of each round rotating,
 * so they share the machine's noise. A contender that throws (a stack overflow included) or
 * exceeds `limitMs` is dropped and its outcome says why; the others go on.
 */
export async function measureInterleaved(
  contenders: readonly Contender[],
  options: MeasureOptions,
): Promise<Outcome[]> {
  const limitMs = options.limitMs ?? 10_000;
  const times = contenders.map((): number[] => []);
  const failures = new Map<number, string>();
  const rounds = options.warmup + options.runs;
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < contenders.length; k++) {
      const i = (round + k) % contenders.length;
      if (failures.has(i)) continue;
      const timed = await timeOnce((contenders[i] as Contender).run);
      if (!timed.ok) failures.set(i, timed.reason);
      else if (timed.ms > limitMs)
        failures.set(
          i,
          `took ${formatSeconds(timed.ms)} (limit ${formatSeconds(limitMs)}); not timed further`,
        );
      else if (round >= options.warmup) (times[i] as number[]).push(timed.ms);
    }
  }
  return contenders.map((c, i) => {
    const reason = failures.get(i);
    return reason === undefined
      ? { name: c.name, ok: true, stats: summarize(times[i] as number[]) }
      : { name: c.name, ok: false, reason };
  });
}

/** Runs `work` once, timed; a throw becomes a reason (a stack overflow is named as such). */
export async function timeOnce<R>(
  work: () => R | Promise<R>,
): Promise<{ ok: true; ms: number; value: R } | { ok: false; reason: string }> {
  globalThis.gc?.();
  try {
    const start = performance.now();
    const result = work();
    const value = result instanceof Promise ? await result : result;
    return { ok: true, ms: performance.now() - start, value };
  } catch (error) {
    if (error instanceof RangeError) {
      return { ok: false, reason: `overflowed the stack (RangeError: ${error.message})` };
    }
    return { ok: false, reason: `threw ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Median, 90th percentile (nearest rank), min and max of `times`. */
export function summarize(times: readonly number[]): Stats {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
  const middle = sorted.length >> 1;
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] as number)
      : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return {
    runs: sorted.length,
    median,
    p90: at(0.9) ?? Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
