import type { ErrorObject } from 'ajv/dist/2020.js';
import { ModregError } from '../errors.js';
import { MAX_LISTED, shownText, shownValue } from '../message-text.js';
import { validate as checkExport } from '../registry/generated/export.js';
import type { CompiledCheck } from '../registry/schema-issues.js';
import { didYouMean } from '../suggest.js';
import type { HistoryEntry, TenantSettings } from '../tenant/types.js';

/** One tenant as an export file gives it. */
export interface ExportedTenant {
  tenant: string;
  settings: TenantSettings;
  /** Its revision in the store it was exported from; 0 when the file does not say. */
  revision: number;
  /** Its history, newest first; empty in a format 1 file. */
  history: HistoryEntry[];
}

/**
 * The tenants of a parsed export file (`name`, as shown), checked against
 * schemas/export.schema.json (formats 1 and 2). A file that does not match is refused
 * (`invalid`) with one sentence per problem, each at its JSON pointer, saying what to fix;
 * so is a tenant listed twice.
 */
export function readExportDocument(document: unknown, name: string): ExportedTenant[] {
  // schemas/export.schema.json, compiled at build time (scripts/generate-validators.ts).
  const check = checkExport as CompiledCheck;
  if (!check(document)) {
    const lines = (check.errors ?? []).map(
      (error) => `  ${error.instancePath || '/'}: ${sentence(error, document)}`,
    );
    const shown = [...new Set(lines)];
    const more = shown.length > MAX_LISTED ? [`  … and ${shown.length - MAX_LISTED} more`] : [];
    throw new ModregError(
      'invalid',
      `${name} is not an export this modreg can import; nothing imported. Fix what follows, or write the file again with "modreg export":\n${[...shown.slice(0, MAX_LISTED), ...more].join('\n')}`,
    );
  }
  const { tenants } = document as {
    tenants: (TenantSettings & { tenant: string; revision?: number; history?: HistoryEntry[] })[];
  };
  const seen = new Map<string, number>();
  return tenants.map(({ tenant, modules, flags, revision, history }, index) => {
    const before = seen.get(tenant);
    if (before !== undefined) {
      throw new ModregError(
        'invalid',
        `${name} lists tenant "${tenant}" twice (/tenants/${before} and /tenants/${index}); nothing imported. Keep one of them.`,
      );
    }
    seen.set(tenant, index);
    return {
      tenant,
      settings: { modules: [...modules].sort(), flags },
      revision: revision ?? 0,
      history: history ?? [],
    };
  });
}

const TENANT_RULE =
  'letters, digits, ".", "_" and "-", starting with a letter or digit, at most 128 characters';
const MODULE_RULE =
  'lowercase letters, digits, "_" and "-", starting with a letter, at most 64 characters';

/** One schema error as a sentence saying what is wrong and what to do. */
function sentence(error: ErrorObject, document: unknown): string {
  const value = valueAt(document, error.instancePath);
  const path = error.instancePath;
  switch (error.keyword) {
    case 'enum':
      return path === '/format'
        ? `the format is ${shownValue(value)}, and this modreg imports formats 1 and 2; export the tenants again with this modreg.`
        : `${shownValue(value)} is not one of ${shownValue(error.params.allowedValues)}.`;
    case 'required': {
      const key = String(error.params.missingProperty);
      if (path === '') {
        return key === 'format'
          ? 'there is no "format"; a file written by "modreg export" starts with "format": 2.'
          : `there is no "${key}"; add it.`;
      }
      const all = (error.parentSchema?.required as string[] | undefined) ?? [key];
      return `this entry has no "${key}"; add it (each entry here has ${all.map((k) => `"${k}"`).join(', ')}).`;
    }
    case 'additionalProperties': {
      const key = String(error.params.additionalProperty);
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      return `${shownText(key)} is not a key here.${didYouMean(key, allowed)} The keys are ${allowed.join(', ')}; remove it.`;
    }
    case 'type':
      return `this must be ${article(String(error.params.type))}, not ${kindOf(value)}.`;
    case 'pattern':
      return /\/tenant$/.test(path)
        ? `${shownValue(value)} is not a tenant id: use ${TENANT_RULE}.`
        : `${shownValue(value)} is not a module name: use ${MODULE_RULE}.`;
    case 'uniqueItems':
      return `a module is listed twice (items ${error.params.j} and ${error.params.i}); remove one.`;
    case 'minimum':
      return `${shownValue(value)} is below ${error.params.limit}; use ${error.params.limit} or more.`;
    default:
      return `${shownValue(value)} ${error.message ?? 'is not valid'}; see schemas/export.schema.json.`;
  }
}

function valueAt(document: unknown, pointer: string): unknown {
  let value: unknown = document;
  for (const segment of pointer.split('/').slice(1)) {
    const key = segment.replaceAll('~1', '/').replaceAll('~0', '~');
    value =
      typeof value === 'object' && value !== null && Object.hasOwn(value, key)
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}

function article(type: string): string {
  const name = type.replace(',', ' or ');
  return /^[aeiou]/.test(name) ? `an ${name}` : `a ${name}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `the ${typeof value} ${shownValue(value)}`;
}
