import { shownPlain } from '../message-text.js';
import { MAX_CONFIG_DEPTH } from './config-file.js';
import { pointerSegment } from './json-source.js';

/** The most values (objects, arrays and scalars) a script config may export. */
const MAX_VALUES = 100_000;

/** A script config's export as JSON data, or where and why it is not. */
export type ConfigData =
  | { ok: true; value: unknown }
  | { ok: false; pointer: string; message: string };

/**
 * A copy of what a script config exported, as plain JSON data (objects, arrays, strings,
 * finite numbers, booleans, null; properties whose value is `undefined` left out, as JSON
 * does). Every property is read once, here: a getter or Proxy trap that throws, a cycle, a
 * function, a value nested more than {@link MAX_CONFIG_DEPTH} levels deep, or anything JSON
 * cannot hold is reported at its pointer, and nothing later touches the exported object.
 */
export function toConfigData(exported: unknown, displayName: string): ConfigData {
  const ancestors = new Set<object>();
  let count = 0;
  let reading = '';
  const refuse = (at: string, why: string) => {
    const where = at === '' ? '' : ` at ${shownPlain(at, 120)}`;
    return new NotData(at, `${displayName} exports ${why}${where}. ${FIX}`);
  };

  const copy = (value: unknown, at: string, depth: number): unknown => {
    if (++count > MAX_VALUES) throw refuse(at, `more than ${MAX_VALUES} values`);
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value !== 'object') throw refuse(at, kindOf(value));
    if (depth > MAX_CONFIG_DEPTH)
      throw refuse(at, `objects and arrays nested more than ${MAX_CONFIG_DEPTH} levels deep`);
    if (ancestors.has(value)) throw refuse(at, 'a cycle (a value that contains itself)');
    ancestors.add(value);
    try {
      reading = at;
      if (Array.isArray(value)) {
        const items: unknown[] = [];
        for (let i = 0, length = value.length; i < length; i++) {
          reading = `${at}/${i}`;
          const item: unknown = value[i];
          if (item === undefined) throw refuse(`${at}/${i}`, 'undefined (or a hole) in an array');
          items.push(copy(item, `${at}/${i}`, depth + 1));
        }
        return items;
      }
      reading = at;
      const prototype: unknown = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null)
        throw refuse(at, 'an object that is not a plain object (a class instance, a Date, a Map…)');
      const copied: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        const itemAt = `${at}/${pointerSegment(key)}`;
        reading = itemAt;
        const item: unknown = (value as Record<string, unknown>)[key];
        if (item === undefined) continue;
        // defineProperty: a key such as "__proto__" stays an ordinary key.
        Object.defineProperty(copied, key, {
          value: copy(item, itemAt, depth + 1),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return copied;
    } finally {
      ancestors.delete(value);
    }
  };

  try {
    return { ok: true, value: copy(exported, '', 1) };
  } catch (error) {
    if (error instanceof NotData) return { ok: false, pointer: error.pointer, message: error.text };
    const where = reading === '' ? '' : ` at ${shownPlain(reading, 120)}`;
    return {
      ok: false,
      pointer: reading,
      message: `Reading what ${displayName} exports failed${where}: ${errorText(error)}. Export a plain object (no getter that throws, no Proxy).`,
    };
  }
}

/** Text for an error of unknown shape, escaped and cut; never throws (a hostile error may). */
export function errorText(error: unknown): string {
  try {
    return shownPlain(error instanceof Error ? String(error.message) : String(error), 300);
  } catch {
    return 'an error that cannot be shown';
  }
}

const FIX =
  'A config holds JSON data only (objects, arrays, strings, finite numbers, booleans, null): compute plain values before exporting them.';

/** A value the config exported that is not data, at a pointer. */
class NotData extends Error {
  constructor(
    readonly pointer: string,
    readonly text: string,
  ) {
    super(text);
  }
}

function kindOf(value: unknown): string {
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'number') return `the number ${String(value)}`;
  if (typeof value === 'bigint') return `the bigint ${shownPlain(String(value), 40)}n`;
  return typeof value === 'undefined' ? 'undefined' : `a ${typeof value}`;
}
