import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import type { Problem } from '../../src/registry/types.js';

/**
 * Mutated module configs for fuzzing discovery: a valid config changed by JSON text edits,
 * odd values at every field (deep nesting, huge strings, control characters, wrong types,
 * entries naming odd files), hostile script configs (Proxies, throwing getters, cycles), and
 * config files that are not files. Shared by the suite's fuzz test and bench/config-fuzz.ts.
 */

/** One file of a case's module directory. */
export type CaseFile =
  | { name: string; text: string }
  | { name: string; special: 'fifo' | 'directory' | 'dev-zero' | 'dangling' | 'loop' };

/** A mutated module `billing`, written next to a valid module `users`. */
export interface ConfigCase {
  label: string;
  files: CaseFile[];
}

/** Every mutation kind, weighted toward the JSON configs most trees have. */
export const configCaseArb: fc.Arbitrary<ConfigCase> = fc.oneof(
  { arbitrary: fc.constant(null).chain(() => valueCaseArb()), weight: 4 },
  { arbitrary: fc.constant(null).chain(() => textCaseArb()), weight: 3 },
  { arbitrary: fc.constant(null).chain(() => scriptCaseArb()), weight: 2 },
  { arbitrary: fc.constant(null).chain(() => specialCaseArb()), weight: 1 },
);

/** Writes a case under `root/modules`, with the valid module `users` beside it. */
export async function writeConfigCase(root: string, testCase: ConfigCase): Promise<void> {
  const billing = join(root, 'modules/billing');
  await mkdir(billing, { recursive: true });
  await mkdir(join(root, 'modules/users'));
  await writeFile(
    join(root, 'modules/users/module.config.json'),
    JSON.stringify({ name: 'users', version: '1.8.0' }),
  );
  // Files an entry may point at: a file, a directory, and (when named) a FIFO, a link loop.
  await writeFile(join(billing, 'index.js'), 'export function setup() {}\n');
  await mkdir(join(billing, 'lib'));
  const named = (name: string) => testCase.files.some((f) => 'text' in f && f.text.includes(name));
  if (named('fifo.js')) execFileSync('mkfifo', [join(billing, 'fifo.js')]);
  if (named('loop.js')) await symlink('loop.js', join(billing, 'loop.js'));
  for (const file of testCase.files) {
    const path = join(billing, file.name);
    if ('text' in file) await writeFile(path, file.text);
    else if (file.special === 'fifo') execFileSync('mkfifo', [path]);
    else if (file.special === 'directory') await mkdir(path);
    else if (file.special === 'dev-zero') await symlink('/dev/zero', path);
    else if (file.special === 'dangling') await symlink('gone.json', path);
    else await symlink(file.name, path);
  }
}

/** What is wrong with a problem's shape (file, pointer, message, line); empty when fine. */
export function malformedProblems(problems: readonly Problem[]): string[] {
  const wrong: string[] = [];
  for (const p of problems) {
    const shown = JSON.stringify(p).slice(0, 300);
    if (typeof p.file !== 'string' || p.file === '') wrong.push(`no file: ${shown}`);
    if (typeof p.pointer !== 'string' || (p.pointer !== '' && !p.pointer.startsWith('/')))
      wrong.push(`bad pointer: ${shown}`);
    if (typeof p.message !== 'string' || p.message.length < 10) wrong.push(`no message: ${shown}`);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: what must never be printed
    else if (/[\u0000-\u001f\u007f-\u009f]/.test(p.message)) wrong.push(`raw control: ${shown}`);
    if (p.line !== undefined && !(Number.isInteger(p.line) && p.line >= 1))
      wrong.push(`bad line: ${shown}`);
  }
  return wrong;
}

const BASE = {
  name: 'billing',
  version: '2.3.1',
  description: 'Plans and subscriptions.',
  entry: 'index.js',
  dependencies: { users: '>=1.5.0 <2.0.0' },
  optionalDependencies: ['audit'],
  routes: { prefix: '/billing', paths: ['GET /plans'] },
  models: ['Plan'],
  flags: { 'billing.beta': { type: 'boolean', default: false, description: 'Beta.' } },
  core: false,
};

/** Where odd values go: every field, some nested ones, and keys the schema does not know. */
const FIELDS = [
  ['name'],
  ['version'],
  ['description'],
  ['entry'],
  ['dependencies'],
  ['dependencies', 'users'],
  ['dependencies', 'billing'],
  ['optionalDependencies'],
  ['optionalDependencies', '0'],
  ['routes'],
  ['routes', 'prefix'],
  ['routes', 'paths'],
  ['models'],
  ['flags'],
  ['flags', 'billing.beta'],
  ['flags', 'billing.beta', 'type'],
  ['flags', 'billing.beta', 'default'],
  ['flags', 'users.max-seats'],
  ['core'],
  ['__proto__'],
  ['constructor'],
  ['a/b~c'],
];

const CONTROL = fc.constantFrom(
  '\u0000',
  '\u0007',
  '\u001b]0;pwned\u0007',
  '\u001b[2J',
  '\u009b',
  '\n',
  '\u202e',
);

const textArb = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .tuple(fc.string({ maxLength: 10 }), CONTROL, fc.string({ maxLength: 10 }))
    .map((p) => p.join('')),
  fc.integer({ min: 1_000, max: 300_000 }).map((n) => 'x'.repeat(n)),
);

/** Entries naming odd files: a FIFO, a directory, a loop, NUL, too long, outside, absolute. */
const ENTRIES = fc.constantFrom(
  'fifo.js',
  'lib',
  'loop.js',
  'index.js/x',
  'index\u0000.js',
  `${'n'.repeat(300)}.js`,
  `${'d/'.repeat(3000)}x.js`,
  '../users/module.config.json',
  '/dev/zero',
  '.',
  '',
  'missing.js',
);

/**
 * An odd value as JSON text, nested up to `maxDepth` levels (deep values are built as text:
 * JSON.stringify would overflow).
 */
const oddJson = (maxDepth: number): fc.Arbitrary<string> =>
  fc.oneof(
    fc.integer({ min: 1, max: maxDepth }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
    fc.integer({ min: 1, max: maxDepth }).map((n) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`),
    textArb.map((t) => JSON.stringify(t)),
    ENTRIES.map((e) => JSON.stringify(e)),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.constantFrom(
      '1e400',
      '-0',
      '1e-400',
      '123456789012345678901234567890',
      'true',
      'null',
      '{}',
      '[]',
    ),
    fc.constantFrom(
      '{"__proto__":{"type":"boolean"},"constructor":{"type":"json","default":{}}}',
      '{"users":"^1","users":"^2"}',
      '["users","users","billing","Bad Name"]',
      '{"x":{"type":"number","default":"7"}}',
      '{"": "*", "~/": "not a range!"}',
    ),
    fc.array(fc.string({ maxLength: 8 }), { maxLength: 2_000 }).map((a) => JSON.stringify(a)),
  );

function valueCaseArb(): fc.Arbitrary<ConfigCase> {
  const mutation = fc.record({ field: fc.constantFrom(...FIELDS), json: oddJson(20_000) });
  return fc
    .record({ mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }), pretty: fc.boolean() })
    .map(({ mutations, pretty }) => {
      const config = structuredClone(BASE) as Record<string, unknown>;
      for (const [i, { field }] of mutations.entries()) setAt(config, field, `\u0000MARK${i}`);
      let text = JSON.stringify(config, null, pretty ? 2 : undefined);
      mutations.forEach(({ json }, i) => {
        text = text.replace(`"\\u0000MARK${i}"`, () => json);
      });
      const fields = mutations.map((m) => m.field.join('.')).join(', ');
      return { label: `values at ${fields}`, files: [{ name: 'module.config.json', text }] };
    });
}

function textCaseArb(): fc.Arbitrary<ConfigCase> {
  const edit = fc.record({
    op: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.integer({ min: 1, max: 40 }),
    insert: fc.oneof(
      textArb,
      CONTROL,
      fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '\\', '\ufeff'),
    ),
  });
  return fc.array(edit, { minLength: 1, maxLength: 5 }).map((edits) => {
    let text = JSON.stringify(BASE, null, 2);
    for (const { op, at, length, insert } of edits) {
      const i = Math.floor(at * text.length);
      if (op === 'delete') text = text.slice(0, i) + text.slice(i + length);
      else if (op === 'insert') text = text.slice(0, i) + insert + text.slice(i);
      else if (op === 'duplicate') text = text.slice(0, i + length) + text.slice(i);
      else text = text.slice(0, i);
    }
    return {
      label: `text edits ${edits.map((e) => e.op).join(', ')}`,
      files: [{ name: 'module.config.json', text }],
    };
  });
}

/** Script configs: `FIELD` is replaced by a field name, `VALUE` by JSON text. */
const SCRIPTS = [
  'export default new Proxy({ name: "billing", version: "1.0.0" }, { TRAP() { throw new Error("trap"); } });',
  'export default { name: "billing", version: "1.0.0", get FIELD() { throw new Error("getter"); } };',
  'let n = 0; export default { name: "billing", version: "1.0.0", get FIELD() { return n++ % 2 ? VALUE : "x"; } };',
  'const c = { name: "billing", version: "1.0.0" }; c.FIELD = { c }; export default c;',
  'export default { name: "billing", version: "1.0.0", FIELD: () => VALUE };',
  'export default { name: "billing", version: "1.0.0", FIELD: 10n };',
  'export default { name: "billing", version: "1.0.0", FIELD: Symbol("s") };',
  'export default { name: "billing", version: "1.0.0", FIELD: new Map([[1, VALUE]]) };',
  'const p = Proxy.revocable({}, {}); p.revoke(); export default { name: "billing", version: "1.0.0", FIELD: p.proxy };',
  'let v = VALUE; for (let i = 0; i < 100000; i++) v = { v }; export default { name: "billing", version: "1.0.0", FIELD: v };',
  'export default { name: "billing", version: "1.0.0", FIELD: VALUE };',
  'export default VALUE;',
  'throw { toString() { throw new Error("no"); } };',
  'throw new Error(VALUE);',
  'const e = new Error("x"); Object.defineProperty(e, "message", { get() { throw e; } }); throw e;',
  'export default new Proxy([], { get() { throw new RangeError("deep"); } });',
  'export default { name: "billing", version: "1.0.0", FIELD: [1, , 3] };',
  'export default { name: "billing", version: "1.0.0", FIELD: NaN };',
];

const TRAPS = ['get', 'ownKeys', 'getOwnPropertyDescriptor', 'getPrototypeOf', 'has'];

function scriptCaseArb(): fc.Arbitrary<ConfigCase> {
  return fc
    .record({
      script: fc.constantFrom(...SCRIPTS),
      field: fc.constantFrom(
        'name',
        'version',
        'entry',
        'dependencies',
        'flags',
        'routes',
        '__proto__',
      ),
      // Source nested 20,000 deep crashes the test runner's own parser (vite's, native), not
      // modreg; in Node it is a RangeError, reported like any script that fails. The deep
      // script case builds its nesting at run time instead.
      value: oddJson(1_000),
      trap: fc.constantFrom(...TRAPS),
      extension: fc.constantFrom('mjs', 'cjs', 'js'),
    })
    .map(({ script, field, value, trap, extension }) => {
      let code = script
        .replaceAll('FIELD', JSON.stringify(field).slice(1, -1))
        .replaceAll('VALUE', `(${value})`)
        .replace('TRAP', trap);
      // A .cjs (and a .js in a package without "type") is CommonJS.
      if (extension !== 'mjs') code = code.replace('export default', 'module.exports =');
      return {
        label: `script ${extension}: ${script.slice(0, 50)}`,
        files: [{ name: `module.config.${extension}`, text: code }],
      };
    });
}

function specialCaseArb(): fc.Arbitrary<ConfigCase> {
  return fc
    .constantFrom('fifo', 'directory', 'dev-zero', 'dangling', 'loop', 'huge')
    .map((special) => ({
      label: `config is ${special}`,
      files: [
        special === 'huge'
          ? {
              name: 'module.config.json',
              text: `{"name":"billing","version":"1.0.0"}${' '.repeat(1_100_000)}`,
            }
          : { name: special === 'fifo' ? 'module.config.mjs' : 'module.config.json', special },
      ],
    }));
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node: Record<string, unknown> = target;
  for (const key of path.slice(0, -1)) {
    const next = Object.hasOwn(node, key) ? node[key] : undefined;
    if (typeof next !== 'object' || next === null) {
      const fresh: Record<string, unknown> = {};
      Object.defineProperty(node, key, {
        value: fresh,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      node = fresh;
    } else node = next as Record<string, unknown>;
  }
  Object.defineProperty(node, path[path.length - 1] as string, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
