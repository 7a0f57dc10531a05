import { Chalk, type ChalkInstance } from 'chalk';
import type { Problem } from '../registry/types.js';
import type { CommandContext, OutputStream } from './context.js';

/** Where a command writes: results on stdout, notes and diagnostics on stderr. */
export interface Output {
  /** Colours for text bound to stdout (none unless stdout is a terminal). */
  paint: ChalkInstance;
  /** Colours for text bound to stderr. */
  paintErr: ChalkInstance;
  /** A result line (or lines) on stdout. */
  result(text: string): void;
  /** A JSON document on stdout. */
  json(value: unknown): void;
  /** Information on stderr, left out with --quiet. */
  note(text: string): void;
  /** A problem or error on stderr, always shown. */
  diagnostic(text: string): void;
}

/** The output of one command run. */
export function createOutput(ctx: CommandContext): Output {
  const { stdout, stderr } = ctx.io;
  return {
    paint: new Chalk({ level: colorLevel(ctx, stdout) }),
    paintErr: new Chalk({ level: colorLevel(ctx, stderr) }),
    result: (text) => stdout.write(`${text}\n`),
    json: (value) => stdout.write(`${JSON.stringify(value, null, 2)}\n`),
    note: (text) => {
      if (!ctx.global.quiet) stderr.write(`${text}\n`);
    },
    diagnostic: (text) => stderr.write(`${text}\n`),
  };
}

/** A problem as one line: `file:line  /pointer  message`. */
export function formatProblem(problem: Problem, paint: ChalkInstance): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const pointer = problem.pointer === '' ? '' : ` ${paint.dim(problem.pointer)}`;
  return `${paint.red('✖')} ${paint.bold(where)}${pointer}\n  ${problem.message}`;
}

/** Columns padded to their widest cell; colour codes do not count as width. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  paint: ChalkInstance,
): string {
  return tableWriter(header, paint).lines(rows);
}

/** A table printed a batch of rows at a time; see {@link tableWriter}. */
export interface TableWriter {
  /** The lines of these rows (after the header, the first time). */
  lines(rows: readonly (readonly string[])[]): string;
}

/**
 * A table whose rows come in batches: the columns are as wide as the header and the first
 * batch need, and a wider cell later only pushes its own line out.
 */
export function tableWriter(header: readonly string[], paint: ChalkInstance): TableWriter {
  let widths: number[] | undefined;
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1
          ? cell
          : cell + ' '.repeat(Math.max(0, (widths?.[i] ?? 0) - width(cell))),
      )
      .join('  ')
      .trimEnd();
  return {
    lines(rows) {
      if (widths !== undefined) return rows.map(line).join('\n');
      widths = header.map((title, i) =>
        Math.max(width(title), ...rows.map((row) => width(row[i] ?? ''))),
      );
      return [paint.bold(line(header)), ...rows.map(line)].join('\n');
    },
  };
}

/** `1 module`, `2 modules`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function width(text: string): number {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI colour codes
  return text.replace(/\u001b\[[0-9;]*m/g, '').length;
}

/** Colour only on a terminal, never with NO_COLOR or --no-color, always with FORCE_COLOR. */
function colorLevel(ctx: CommandContext, stream: OutputStream): 0 | 1 {
  const { NO_COLOR, FORCE_COLOR } = ctx.io.env;
  if (!ctx.global.color || (NO_COLOR !== undefined && NO_COLOR !== '')) return 0;
  if (FORCE_COLOR !== undefined) return FORCE_COLOR === '0' || FORCE_COLOR === 'false' ? 0 : 1;
  return stream.isTTY === true ? 1 : 0;
}
