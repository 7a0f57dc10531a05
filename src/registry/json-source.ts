/** A key written twice in one JSON object: `JSON.parse` silently keeps the last. */
export interface DuplicateKey {
  /** JSON pointer of the duplicated member. */
  pointer: string;
  /** Lines (1-based) of the first and the repeated occurrence. */
  lines: [number, number];
}

/** A parsed JSON document that remembers where its values were written. */
export interface JsonSource {
  value: unknown;
  duplicateKeys: DuplicateKey[];
  /** The 1-based line where the value at `pointer` starts, when it exists. */
  lineOf(pointer: string): number | undefined;
}

/** Why a JSON text does not parse, and where. */
export interface JsonSyntaxError {
  message: string;
  line?: number;
  column?: number;
  /** True when the text is valid JSON, only nested deeper than `maxDepth`. */
  tooDeep?: boolean;
}

/**
 * Parses JSON with `JSON.parse` (fast and exact), then scans the text once more for what
 * `JSON.parse` hides: keys written twice, and the line of each value. Objects and arrays
 * nested deeper than `maxDepth` are an error (later steps may then walk the value
 * recursively).
 */
export function parseJsonSource(
  text: string,
  maxDepth = Number.POSITIVE_INFINITY,
): { source: JsonSource } | { error: JsonSyntaxError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: describeSyntaxError(text, (error as Error).message) };
  }
  if (Number.isFinite(maxDepth) && nestedDeeper(value, maxDepth)) {
    const at = offsetPastDepth(text, maxDepth);
    return {
      error: {
        ...positionOf(text, at),
        message: `objects and arrays are nested more than ${maxDepth} levels deep`,
        tooDeep: true,
      },
    };
  }
  const duplicateKeys: DuplicateKey[] = [];
  if (mayRepeatKeys(text, value)) {
    scan(text, false, (pointer, line, previousLine) => {
      if (previousLine !== undefined) duplicateKeys.push({ pointer, lines: [previousLine, line] });
    });
  }
  let lines: Map<string, number> | undefined;
  return {
    source: {
      value,
      duplicateKeys,
      lineOf(pointer) {
        if (pointer === '') return 1;
        if (lines === undefined) {
          const found = new Map<string, number>();
          scan(text, true, (at, line) => {
            if (!found.has(at)) found.set(at, line);
          });
          lines = found;
        }
        return lines.get(pointer);
      },
    },
  };
}

/** Escapes one JSON pointer segment (RFC 6901). */
export function pointerSegment(key: string | number): string {
  const text = String(key);
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replaceAll('~', '~0').replaceAll('/', '~1');
}

/**
 * False when no key can be repeated: without a backslash in the text every `"` delimits a
 * string, so each `"` followed by `:` ends a key, and as many of those as the parsed value
 * has keys means none was written twice. True sends the text to the full scan.
 */
function mayRepeatKeys(text: string, value: unknown): boolean {
  if (text.includes('\\')) return true;
  let written = 0;
  KEY_END.lastIndex = 0;
  while (KEY_END.exec(text) !== null) written++;
  return written !== countKeys(value);
}

const KEY_END = /"\s*:/g;

function countKeys(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  let count = 0;
  if (Array.isArray(value)) {
    for (const item of value) count += countKeys(item);
    return count;
  }
  for (const key in value) {
    count += 1 + countKeys((value as Record<string, unknown>)[key]);
  }
  return count;
}

/** True when `value` holds objects or arrays more than `maxDepth` levels deep. */
function nestedDeeper(value: unknown, maxDepth: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  // Stops at maxDepth + 1 levels, so the recursion is bounded whatever the value.
  if (maxDepth <= 0) return true;
  for (const item of Object.values(value)) if (nestedDeeper(item, maxDepth - 1)) return true;
  return false;
}

/** Offset of the bracket that opens level `maxDepth + 1` in valid JSON text. */
function offsetPastDepth(text: string, maxDepth: number): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 123 || c === 91) {
      if (++depth > maxDepth) return i;
    } else if (c === 125 || c === 93) depth--;
  }
  return text.length;
}

function describeSyntaxError(text: string, message: string): JsonSyntaxError {
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  const clean = message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  if (offset === undefined) return { message: clean };
  return { message: clean, ...positionOf(text, offset) };
}

/** The 1-based line and column of `offset` in `text`. */
function positionOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

type Visit = (pointer: string, line: number, previousLine: number | undefined) => void;

interface Container {
  /** Pointer of the container; kept only when every pointer is wanted. */
  pointer: string;
  /** Where the container sits in its parent: a key or an index. */
  segment: string;
  /** Key → line for objects; undefined for arrays. */
  keys: Map<string, number> | undefined;
  index: number;
}

/**
 * Walks valid JSON text. With `everyPointer`, calls `visit` for every member and element with
 * its pointer and line; without, only for a repeated key (pointers cost, and are rarely
 * needed). For a repeated key, `previousLine` is the line of the earlier one.
 */
function scan(text: string, everyPointer: boolean, visit: Visit): void {
  const stack: Container[] = [];
  let line = 1;
  let pendingKey: string | undefined;
  const pointerOf = (segment: string) => {
    const top = stack[stack.length - 1];
    if (everyPointer) return `${top?.pointer ?? ''}/${segment}`;
    return `${stack
      .slice(1)
      .map((c) => `/${c.segment}`)
      .join('')}/${segment}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      line++;
    } else if (c === 34) {
      const end = stringEnd(text, i);
      const top = stack[stack.length - 1];
      if (top?.keys !== undefined && pendingKey === undefined && isKey(text, end + 1)) {
        const raw = text.slice(i + 1, end);
        pendingKey = raw.includes('\\') ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
      } else {
        enter(false);
      }
      i = end;
    } else if (c === 123 || c === 91) {
      enter(true, c === 123);
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c !== 44 && c !== 58 && c !== 32 && c !== 9 && c !== 13) {
      // A number, true, false or null: skip to its end.
      while (i + 1 < text.length && !endsLiteral(text.charCodeAt(i + 1))) i++;
      enter(false);
    }
  }

  function enter(container: boolean, object = false): void {
    const top = stack[stack.length - 1];
    let segment = '';
    let pointer = '';
    if (top?.keys !== undefined) {
      const key = pendingKey as string;
      pendingKey = undefined;
      segment = pointerSegment(key);
      const previousLine = top.keys.get(key);
      if (previousLine === undefined) top.keys.set(key, line);
      if (everyPointer || previousLine !== undefined) {
        pointer = pointerOf(segment);
        visit(pointer, line, previousLine);
      }
    } else if (top !== undefined) {
      segment = String(top.index++);
      if (everyPointer) {
        pointer = pointerOf(segment);
        visit(pointer, line, undefined);
      }
    }
    if (container) stack.push({ pointer, segment, keys: object ? new Map() : undefined, index: 0 });
  }
}

/** Whitespace, a comma or a closing bracket: where a literal ends. */
function endsLiteral(c: number): boolean {
  return c === 44 || c === 93 || c === 125 || c === 32 || c === 10 || c === 9 || c === 13;
}

/** Index of the closing quote of the string opening at `start`. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 92) i++;
    else if (c === 34) return i;
  }
  return text.length;
}

/** True when the next non-blank character from `from` is a colon. */
function isKey(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 58) return true;
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return false;
  }
  return false;
}
