import type { ErrorObject } from 'ajv/dist/2020.js';
import { shownPlain, shownText, shownValue } from '../message-text.js';
import { didYouMean } from '../suggest.js';
import { pointerSegment } from './json-source.js';
import { isObject } from './normalize.js';

/** A schema violation inside one document: where, and what to do about it. */
export interface SchemaIssue {
  pointer: string;
  message: string;
}

/** Checks parsed documents against one JSON Schema. */
export interface SchemaValidator {
  /** Every violation in `document`, one sentence each; empty when it is valid. */
  validate(document: unknown): SchemaIssue[];
}

/** A validation function compiled by ajv, at build time (src/registry/generated/) or not. */
export interface CompiledCheck {
  (document: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** A {@link SchemaValidator} whose issues read as sentences, over a compiled check. */
export function validatorOf(check: CompiledCheck): SchemaValidator {
  return {
    validate(document) {
      if (check(document)) return [];
      return describeErrors(check.errors ?? []);
    },
  };
}

const MODULE_NAME_RULE =
  'use lowercase letters, digits, "_" and "-", starting with a letter, at most 64 characters';
const FLAG_KEY_RULE =
  'use letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters';

/** Turns ajv errors into one sentence each, dropping the noise `oneOf` and `if` produce. */
export function describeErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  // Few: one per dependency list. Looked up for every error, of which there can be many.
  const choices = errors.filter((e) => e.keyword === 'oneOf');
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'propertyNames') continue;
    if (!inTakenBranch(error, choices)) continue;
    const issue = describe(error);
    const key = `${issue.pointer}\n${issue.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      issues.push(issue);
    }
  }
  return issues;
}

/**
 * A dependency list is an object or an array (`oneOf`): report only the errors of the branch
 * the value's own type chose, and one plain sentence when it is neither.
 */
function inTakenBranch(error: ErrorObject, choices: readonly ErrorObject[]): boolean {
  // The chosen branch's own errors say more than "must match exactly one schema".
  if (error.keyword === 'oneOf') return !Array.isArray(error.data) && !isObject(error.data);
  const branch = /\/oneOf\/(\d)\//.exec(error.schemaPath);
  if (branch === undefined || branch === null) return true;
  const owner = choices.find((e) => error.instancePath.startsWith(e.instancePath));
  const value: unknown = owner?.data;
  const wanted = Array.isArray(value) ? '1' : isObject(value) ? '0' : undefined;
  return wanted !== undefined && branch[1] === wanted;
}

function describe(error: ErrorObject): SchemaIssue {
  const at = error.instancePath;
  const data: unknown = error.data;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const where = at === '' ? 'the config' : `"${label(at)}"`;
      return {
        pointer: `${at}/${pointerSegment(key)}`,
        message: `Unknown key ${shownText(key)} in ${where}.${suggestion(key, allowed)} Allowed keys: ${allowed.join(', ')}.`,
      };
    }
    case 'required': {
      const key = String(error.params.missingProperty);
      const example = key === 'version' ? ' (for example "version": "1.0.0")' : '';
      return { pointer: at, message: `Missing required key "${key}"${example}; add it.` };
    }
    case 'oneOf':
      return {
        pointer: at,
        message: `${label(at)} must be an object of version ranges ({ "users": "^1.2.0" }) or a list of module names (["users"]), not ${kindOf(data)}.`,
      };
    case 'pattern':
      return describePattern(error, at, data);
    case 'type':
      return describeType(error, at, data);
    case 'enum': {
      const values = (error.params.allowedValues as unknown[]).map(String);
      const hint = typeof data === 'string' ? suggestion(data, values) : '';
      return {
        pointer: at,
        message: `${label(at)} is ${shownValue(data)}; it must be one of ${values.map((v) => `"${v}"`).join(', ')}.${hint}`,
      };
    }
    default: {
      const rule = (error.parentSchema?.description as string | undefined) ?? '';
      return {
        pointer: at,
        message: `${label(at)} ${error.message ?? 'is invalid'}.${rule ? ` ${rule}` : ''}`,
      };
    }
  }
}

function describePattern(error: ErrorObject, at: string, data: unknown): SchemaIssue {
  const value = shownValue(data);
  if (error.propertyName !== undefined) {
    const pointer = `${at}/${pointerSegment(error.propertyName)}`;
    const rule = at === '/flags' ? FLAG_KEY_RULE : MODULE_NAME_RULE;
    const what = at === '/flags' ? 'flag key' : 'module name';
    return { pointer, message: `${value} in ${label(at)} is not a valid ${what}: ${rule}.` };
  }
  if (at === '/name' || /^\/(optionalD|d)ependencies\/\d+$/.test(at)) {
    const example = typeof data === 'string' ? ` (for example "${suggestName(data)}")` : '';
    return {
      pointer: at,
      message: `${value} is not a valid module name: ${MODULE_NAME_RULE}${example}.`,
    };
  }
  if (at === '/version') {
    return {
      pointer: at,
      message: `version ${value} is not semver; write MAJOR.MINOR.PATCH, for example "1.2.0".`,
    };
  }
  if (at === '/routes/prefix') {
    return {
      pointer: at,
      message: `routes.prefix ${value} must start with "/", for example "/billing".`,
    };
  }
  if (at.startsWith('/routes/paths/')) {
    return {
      pointer: at,
      message: `route ${value} must be "/path" or "METHOD /path" (GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, ALL).`,
    };
  }
  return {
    pointer: at,
    message: `${label(at)} ${value} does not match ${String(error.params.pattern)}.`,
  };
}

function describeType(error: ErrorObject, at: string, data: unknown): SchemaIssue {
  const expected = String(error.params.type);
  const flagDefault = /^\/flags\/[^/]+\/default$/.exec(at);
  if (flagDefault) {
    const hint = expected === 'boolean' ? ' (true or false, without quotes)' : '';
    return {
      pointer: at,
      message: `The default ${shownValue(data)} does not match the flag's type "${expected}"; use a ${expected}${hint}.`,
    };
  }
  return {
    pointer: at,
    message: `${label(at)} must be ${article(expected)} ${expected}, not ${kindOf(data)}.`,
  };
}

/** How a pointer reads in a sentence: `/routes/prefix` → `routes.prefix`, escaped and cut. */
function label(pointer: string): string {
  if (pointer === '') return 'The config';
  const path = pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('.');
  return shownPlain(path, 120);
}

/** `Did you mean …?` for a typo; none for a long input (the edit distance is quadratic). */
function suggestion(input: string, candidates: readonly string[]): string {
  return input.length > 100 ? '' : shownPlain(didYouMean(input, candidates));
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${article(typeof value)} ${typeof value} (${shownValue(value)})`;
}

function article(word: string): string {
  return /^[aeiou]/.test(word) ? 'an' : 'a';
}

/** A valid module name close to `input`: `Billing Core` → `billing-core`. */
function suggestName(input: string): string {
  const cleaned = input
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 64);
  return cleaned === '' ? 'my-module' : cleaned;
}
