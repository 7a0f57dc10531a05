import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonSource, parseJsonSource } from '../../src/registry/json-source.js';

function source(text: string): JsonSource {
  const parsed = parseJsonSource(text);
  if ('error' in parsed) throw new Error(`unexpected syntax error: ${parsed.error.message}`);
  return parsed.source;
}

describe('parseJsonSource', () => {
  it('parses like JSON.parse', () => {
    const text = '{"a": [1, {"b": "x\\"}"}], "c": null, "d": -1.5e3, "e": true}';
    expect(source(text).value).toEqual(JSON.parse(text));
  });

  it('finds keys written twice, at any depth, with both lines', () => {
    const text =
      '{\n  "deps": {\n    "users": "^1",\n    "auth": "^2",\n    "users": "^3"\n  },\n  "deps": {}\n}';
    expect(source(text).duplicateKeys).toEqual([
      { pointer: '/deps/users', lines: [3, 5] },
      { pointer: '/deps', lines: [2, 7] },
    ]);
  });

  it('compares keys after unescaping, and escapes pointers', () => {
    const text = '{"a/b": 1, "a\\/b": 2, "t~": {"x": 1, "x": 2}}';
    expect(source(text).duplicateKeys.map((d) => d.pointer)).toEqual(['/a~1b', '/t~0/x']);
  });

  it('does not mistake strings that look like keys for keys', () => {
    expect(source('{"a": "b", "list": ["a", "a"], "c": {"a": ":"}}').duplicateKeys).toEqual([]);
  });

  it('knows the line of every value', () => {
    const s = source(
      '{\n  "name": "x",\n  "flags": {\n    "k": {\n      "default": [\n        1\n      ]\n    }\n  }\n}',
    );
    expect(s.lineOf('')).toBe(1);
    expect(s.lineOf('/name')).toBe(2);
    expect(s.lineOf('/flags/k/default')).toBe(5);
    expect(s.lineOf('/flags/k/default/0')).toBe(6);
    expect(s.lineOf('/missing')).toBeUndefined();
  });

  it('keeps __proto__ as a plain key', () => {
    const s = source('{"__proto__": {"polluted": true}}');
    expect(Object.hasOwn(s.value as object, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{\n  "a": 1,\n}', 3, 1],
    ['{\n  "a" 1\n}', 2, 7],
    ['{"a": 1', 1, 8],
    ['', 1, 1],
  ])('locates the syntax error in %j', (text, line, column) => {
    const parsed = parseJsonSource(text);
    expect('error' in parsed && parsed.error).toMatchObject({ line, column });
  });
});

describe('parseJsonSource on generated documents', () => {
  /** JSON text of an object written from entries, so keys may repeat. */
  const entries = (depth: number): fc.Arbitrary<string> =>
    fc
      .array(
        fc.tuple(
          fc.constantFrom('a', 'b', 'c', 'a:b', 'q"', 'x\\'),
          depth > 0
            ? fc.oneof(
                entries(depth - 1),
                fc.jsonValue({ maxDepth: 1 }).map((v) => JSON.stringify(v)),
              )
            : fc.constant('1'),
        ),
        { maxLength: 4 },
      )
      .map((pairs) => `{${pairs.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join(', ')}}`);

  it('reports a repeated key exactly when one object repeats one', () => {
    fc.assert(
      fc.property(entries(2), (text) => {
        const parsed = parseJsonSource(text);
        if ('error' in parsed) throw new Error(parsed.error.message);
        expect(parsed.source.duplicateKeys.length > 0).toBe(hasRepeat(text));
      }),
      { numRuns: 400 },
    );
  });
});

/** Independent check: re-parse, tracking keys per object with a reviver-free walk of tokens. */
function hasRepeat(text: string): boolean {
  let found = false;
  const visit = (value: string) => {
    // Re-serialise each object from its own text using a tiny recursive descent parser.
    let i = 0;
    const skip = () => {
      while (/\s/.test(value[i] ?? '')) i++;
    };
    const parseValue = (): void => {
      skip();
      if (value[i] === '{') {
        i++;
        const keys = new Set<string>();
        skip();
        if (value[i] === '}') {
          i++;
          return;
        }
        for (;;) {
          skip();
          const start = i;
          i++;
          while (value[i] !== '"') i += value[i] === '\\' ? 2 : 1;
          i++;
          const key = JSON.parse(value.slice(start, i)) as string;
          if (keys.has(key)) found = true;
          keys.add(key);
          skip();
          i++; // colon
          parseValue();
          skip();
          if (value[i++] === '}') return;
        }
      }
      if (value[i] === '[') {
        i++;
        skip();
        if (value[i] === ']') {
          i++;
          return;
        }
        for (;;) {
          parseValue();
          skip();
          if (value[i++] === ']') return;
        }
      }
      if (value[i] === '"') {
        i++;
        while (value[i] !== '"') i += value[i] === '\\' ? 2 : 1;
        i++;
        return;
      }
      while (i < value.length && !/[\s,\]}]/.test(value[i] as string)) i++;
    };
    parseValue();
  };
  visit(text);
  return found;
}
