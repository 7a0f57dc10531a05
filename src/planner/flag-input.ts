import { ModregError } from '../errors.js';
import { shownProse, shownText } from '../message-text.js';
import type { JsonValue } from '../tenant/types.js';
import { typeProblem } from './flag-values.js';
import type { PlanningRegistry } from './types.js';

/** A number as a person types it: `10`, `-2.5`, `.5`, `1e3`. */
const NUMBER_TEXT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * The value of the CLI's `key=value` for flag `key`. A declared boolean takes `true` or
 * `false`, a number a finite number, a string the text as it is, a JSON flag a JSON text;
 * anything else is refused (a `refused` {@link ModregError} naming the flag, its module and
 * the type). An undeclared key takes the JSON the text parses to, or else the text itself.
 */
export function parseFlagInput(registry: PlanningRegistry, key: string, raw: string): JsonValue {
  const declared = registry.flags.get(key);
  if (declared === undefined) return parseLoosely(raw);
  const { module, declaration } = declared;
  const refuse = (problem: string) =>
    new ModregError(
      'refused',
      `Cannot set flag ${shownText(key)}: module "${module}" declares it as ${problem}`,
    );
  switch (declaration.type) {
    case 'boolean':
      if (raw === 'true') return true;
      if (raw === 'false') return false;
      throw refuse(typeProblem(declaration, raw) as string);
    case 'number': {
      const value = NUMBER_TEXT.test(raw) ? Number(raw) : Number.NaN;
      if (Number.isFinite(value)) return value;
      throw refuse(
        `a number, and ${shownText(raw)} is not a finite number. Use a number, e.g. 10 or 2.5.`,
      );
    }
    case 'json':
      try {
        return JSON.parse(raw) as JsonValue;
      } catch (error) {
        throw refuse(
          `JSON, and ${shownText(raw)} is not valid JSON (${shownProse((error as Error).message)}). Write a JSON value, e.g. {"limit":10} or "text" with its quotes.`,
        );
      }
    default:
      return raw;
  }
}

/** JSON when the text is JSON (and not an infinite number), else the text itself. */
function parseLoosely(raw: string): JsonValue {
  try {
    const value = JSON.parse(raw) as JsonValue;
    return typeof value === 'number' && !Number.isFinite(value) ? raw : value;
  } catch {
    return raw;
  }
}
