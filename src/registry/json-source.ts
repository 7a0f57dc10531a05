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
}

/**
 * Parses JSON with `JSON.parse` (fast and exact), then scans the text once more for what
 * `JSON.parse` hides: keys written twice, and the line of each value.
 */
export function parseJsonSource(text: string): { source: JsonSource } | { error: JsonSyntaxError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: describeSyntaxError(text, (error as Error).message) };
  }
  const duplicateKeys: DuplicateKey[] = [];
  scan(text, (pointer, line, previousLine) => {
    if (previousLine !== undefined) duplicateKeys.push({ pointer, lines: [previousLine, line] });
  });
  let lines: Map<string, number> | undefined;
  return {
    source: {
      value,
      duplicateKeys,
      lineOf(pointer) {
        if (pointer === '') return 1;
        if (lines === undefined) {
          const found = new Map<string, number>();
          scan(text, (at, line) => {
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
  return String(key).replaceAll('~', '~0').replaceAll('/', '~1');
}

function describeSyntaxError(text: string, message: string): JsonSyntaxError {
  const at = /at position (\d+)/.exec(message);
  const offset = at ? Number(at[1]) : /end of JSON input/.test(message) ? text.length : undefined;
  const clean = message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/, ".*" is not valid JSON$/s, '');
  if (offset === undefined) return { message: clean };
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { message: clean, line, column: offset - lineStart + 1 };
}

type Visit = (pointer: string, line: number, previousLine: number | undefined) => void;

interface Container {
  pointer: string;
  /** Key → line for objects; undefined for arrays. */
  keys: Map<string, number> | undefined;
  index: number;
}

/**
 * Walks valid JSON text and calls `visit` for every member and element with its pointer and
 * line; for a repeated key, `previousLine` is the line of the earlier one.
 */
function scan(text: string, visit: Visit): void {
  const stack: Container[] = [];
  let line = 1;
  let pendingKey: string | undefined;
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
        enter(undefined);
      }
      i = end;
    } else if (c === 123 || c === 91) {
      enter({ pointer: '', keys: c === 123 ? new Map() : undefined, index: 0 });
    } else if (c === 125 || c === 93) {
      stack.pop();
    } else if (c === 44 || c === 58 || c === 32 || c === 9 || c === 13) {
      // separators and whitespace
    } else {
      // number, true, false, null: skip to the end of the literal
      while (i + 1 < text.length && !/[\s,\]}]/.test(text[i + 1] as string)) i++;
      enter(undefined);
    }
  }

  function enter(container: Container | undefined): void {
    const top = stack[stack.length - 1];
    let pointer = '';
    if (top !== undefined) {
      if (top.keys !== undefined) {
        const key = pendingKey as string;
        pendingKey = undefined;
        pointer = `${top.pointer}/${pointerSegment(key)}`;
        const previousLine = top.keys.get(key);
        if (previousLine === undefined) top.keys.set(key, line);
        visit(pointer, line, previousLine);
      } else {
        pointer = `${top.pointer}/${top.index++}`;
        visit(pointer, line, undefined);
      }
    }
    if (container !== undefined) {
      container.pointer = pointer;
      stack.push(container);
    }
  }
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
