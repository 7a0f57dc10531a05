import type { Outcome } from './measure.js';

/** One comparison of the suite: a file of its own, selected by a filter on `id`. */
export interface Comparison {
  /** Short id the filter argument matches: `npm run bench -- graph`. */
  id: string;
  /** Times the contenders, prints their figures and returns the goals it checked. */
  run(): Promise<Goal[]>;
}

/**
 * How a figure and its target are written: `2.41×`, `3.214 ms`, `1,234 ops/s`, `12.3 ns`,
 * `512 bytes`, `45.2 MB`, `0 lost`.
 */
export type FigureUnit = 'ratio' | 'ms' | 'ops/s' | 'ns' | 'bytes' | 'MB' | 'lost';

/**
 * One row of the summary: a goal from the project's issue — a ratio of medians measured in
 * the same run, or an absolute figure such as a median time — or, without a target, a figure
 * reported as information only.
 */
export interface Goal {
  /** What is measured, for the summary table. */
  subject: string;
  /** The figure in words, e.g. `toposort ÷ modreg` or `median`. */
  figureName: string;
  /** The measured figure; undefined when a contender could not be timed. */
  figure: number | undefined;
  /** @default 'ratio' */
  unit?: FigureUnit;
  /** The goal's bound; absent for a figure reported as information (result `info`). */
  target?: number;
  /** True when the goal is `figure ≥ target`, false for `figure ≤ target`. @default false */
  atLeast?: boolean;
}

/** Prints a table of median, p90, min and max per contender. */
export function printStats(outcomes: readonly Outcome[]): void {
  const width = Math.max(10, ...outcomes.map((o) => o.name.length));
  const cell = (text: string) => text.padStart(11);
  console.log(
    `  ${'contender'.padEnd(width)}${cell('median')}${cell('p90')}${cell('min')}${cell('max')}   runs`,
  );
  for (const o of outcomes) {
    if (!o.ok) {
      console.log(`  ${o.name.padEnd(width)}  ${o.reason}`);
      continue;
    }
    const { median, p90, min, max, runs } = o.stats;
    const figures = [median, p90, min, max].map((ms) => cell(formatMs(ms))).join('');
    console.log(`  ${o.name.padEnd(width)}${figures}   ${runs}`);
  }
}

/** Median of `numerator` ÷ median of `denominator`, or undefined if either failed. */
export function ratioOf(outcomes: readonly Outcome[], numerator: string, denominator: string) {
  const median = (name: string) => {
    const o = outcomes.find((x) => x.name === name);
    return o?.ok ? o.stats.median : undefined;
  };
  const top = median(numerator);
  const bottom = median(denominator);
  return top === undefined || bottom === undefined ? undefined : top / bottom;
}

/** `2.41×`, or `n/a` when there is no figure. */
export function formatRatio(ratio: number | undefined): string {
  return ratio === undefined ? 'n/a' : `${ratio.toFixed(2)}×`;
}

/** `0.412 ms`, `12.3 ms`, `1.24 s`. */
export function formatMs(ms: number): string {
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(3)} ms`;
}

/** The figure in its unit: `2.41×`, `3.214 ms`, `1,234 ops/s`, or `n/a` when there is none. */
export function formatFigure(figure: number | undefined, unit: FigureUnit = 'ratio'): string {
  if (figure === undefined || Number.isNaN(figure)) return 'n/a';
  if (unit === 'ms') return formatMs(figure);
  if (unit === 'ops/s') return `${Math.round(figure).toLocaleString('en-US')} ops/s`;
  if (unit === 'ns')
    return `${figure < 100 ? figure.toFixed(1) : Math.round(figure).toLocaleString('en-US')} ns`;
  if (unit === 'bytes') return `${Math.round(figure).toLocaleString('en-US')} bytes`;
  if (unit === 'MB') return `${figure.toFixed(1)} MB`;
  if (unit === 'lost') return `${Math.round(figure).toLocaleString('en-US')} lost`;
  return formatRatio(figure);
}

/** `goal toposort ÷ modreg ≥ 2×: met (2.41×)`, `goal median ≤ 10 ms: met (3.214 ms)` */
export function printGoal(goal: Goal): void {
  console.log(
    `  goal ${goal.figureName} ${targetText(goal)}: ${verdict(goal)} (${formatFigure(goal.figure, goal.unit)})`,
  );
}

/**
 * `met`, or `MISSED by x%` where x is how much longer modreg takes than the goal allows
 * (the same measure whichever way the ratio is written); `info` for a figure without a goal.
 */
export function verdict(goal: Goal): string {
  if (goal.target === undefined) return 'info';
  if (goal.figure === undefined || Number.isNaN(goal.figure)) return 'NOT MEASURED';
  // A bound of zero (nothing lost) is met or not; no percentage measures how far.
  if (goal.target === 0) return goal.figure <= 0 ? 'met' : 'MISSED';
  const excess =
    goal.atLeast === true ? goal.target / goal.figure - 1 : goal.figure / goal.target - 1;
  return excess <= 0 ? 'met' : `MISSED by ${(excess * 100).toFixed(0)}%`;
}

/** The summary pasted into the README: one Markdown row per goal. */
export function printSummary(goals: readonly Goal[]): void {
  const rows = goals.map((g) => [
    g.subject,
    `${g.figureName}: ${formatFigure(g.figure, g.unit)}`,
    targetText(g),
    verdict(g),
  ]);
  const header = ['Comparison', 'Figure', 'Goal', 'Result'];
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => (r[i] as string).length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

/** `≤ 1.5×`, `≤ 10 ms`, `≥ 2×`; `—` for a figure without a goal. */
function targetText(goal: Goal): string {
  if (goal.target === undefined) return '—';
  const bound = goal.atLeast === true ? '≥' : '≤';
  const unit = goal.unit ?? 'ratio';
  return unit === 'ratio' ? `${bound} ${goal.target}×` : `${bound} ${goal.target} ${unit}`;
}
