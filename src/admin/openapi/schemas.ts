import { TENANT_ID_PATTERN } from '../../tenant/tenant-id.js';
import { HEALTH_SCHEMAS, REQUEST_SCHEMAS } from './change-schemas.js';
import {
  ANY_JSON,
  flag,
  list,
  map,
  names,
  nullableText,
  object,
  ref,
  type Schema,
  text,
  whole,
} from './schema-builders.js';

/** The API's error codes. */
export const ERROR_CODES = [
  'invalid',
  'unauthorized',
  'forbidden',
  'not-found',
  'method-not-allowed',
  'refused',
  'conflict',
  'too-large',
  'unsupported-media-type',
  'internal',
  'environment',
] as const;

/** The component schemas of the admin API's OpenAPI document. */
export const SCHEMAS: Record<string, Schema> = {
  TenantId: { type: 'string', pattern: TENANT_ID_PATTERN.source, description: 'A tenant id.' },
  Error: object({
    error: object(
      {
        code: { enum: [...ERROR_CODES] },
        message: text('What went wrong and what to do, in one or two sentences.'),
        alternative: {
          enum: ['withDeps', 'cascade'],
          description: 'A planner refusal: the body field that would let the change through.',
        },
        paths: list(
          names('One path: the module asked for → … → the one in the way.'),
          'A refusal: the dependency paths in the way.',
        ),
        problem: text('A refusal: what is in the way, without the fix.'),
        fix: text('A refusal: what to do first.'),
      },
      ['code', 'message'],
    ),
  }),
  FlagDeclaration: object(
    {
      type: { enum: ['boolean', 'string', 'number', 'json'] },
      default: ANY_JSON,
      description: text(),
    },
    ['type'],
  ),
  ModuleRecord: object(
    {
      name: text(),
      version: text(),
      description: text(),
      path: text('The module directory, relative to the project root.'),
      file: text('Its module.config file, relative to the project root.'),
      entry: nullableText('Its code, relative to the project root; null for none.'),
      dependencies: map(text(), 'Required modules: name → semver range.'),
      optionalDependencies: map(text(), 'Optional modules: name → semver range.'),
      routes: object({ prefix: nullableText('Route prefix.'), paths: names('Routes.') }),
      models: names('Data models it owns.'),
      flags: map(ref('FlagDeclaration'), 'Flags it declares, by key.'),
      core: flag('On for every tenant.'),
    },
    [
      'name',
      'version',
      'path',
      'file',
      'entry',
      'dependencies',
      'optionalDependencies',
      'routes',
      'models',
      'flags',
      'core',
    ],
  ),
  Problem: object({ file: text(), pointer: text(), message: text(), line: whole(undefined, 1) }, [
    'file',
    'pointer',
    'message',
  ]),
  Modules: object({
    modules: list(ref('ModuleRecord'), 'Every module, in load order, blocked ones last.'),
    problems: list(ref('Problem'), 'Config problems found when the modules were discovered.'),
    order: names('Loadable modules in load order.'),
    layers: list(
      names('One layer.'),
      "Layers of the load order: a module's dependencies are in earlier layers.",
    ),
    cycles: list(names('A cycle, its first module repeated last.'), 'Required-dependency cycles.'),
    blocked: list(
      object({
        module: text(),
        reason: text(),
        cause: { enum: ['cycle', 'missing-dependency', 'unloadable', 'blocked-dependency'] },
      }),
      'Modules that cannot load, with why.',
    ),
    warnings: list(object({ module: text(), message: text() })),
    registry: object({
      source: text('The registry file, modules directory, or "code".'),
      loadedAt: text(),
    }),
  }),
  TenantSummary: object({
    tenant: ref('TenantId'),
    revision: whole(),
    updatedAt: nullableText('ISO time of the last change.'),
    modules: whole('How many modules are on, core ones included.'),
  }),
  TenantPage: object(
    {
      tenants: list(ref('TenantSummary')),
      next: text('The cursor of the next page; absent on the last.'),
      unreadable: list(
        object({ tenant: text(), message: text() }),
        'Tenants whose state cannot be read.',
      ),
    },
    ['tenants'],
  ),
  UnavailableModule: object({
    module: text(),
    reason: { enum: ['gone', 'blocked', 'unmet'] },
    message: text(),
  }),
  ModuleState: object({
    module: text(),
    state: { enum: ['core', 'enabled', 'disabled', 'blocked', 'failed'] },
    reason: text(
      'Why: "required by reports", "needs users", "blocked: is in a dependency cycle: a → b → a".',
    ),
    requiredBy: names('Enabled modules that require it.'),
    needs: names('Required modules that are off.'),
  }),
  Tenant: object({
    tenant: ref('TenantId'),
    modules: names('Enabled modules in load order, core ones included.'),
    unavailable: list(ref('UnavailableModule'), 'Modules the store has on that will not load.'),
    flags: map(ANY_JSON, "Every flag: declared defaults overlaid by the tenant's values."),
    ownFlags: map(ANY_JSON, 'The values the tenant itself set.'),
    revision: whole(undefined, 1),
    updatedAt: nullableText(
      'ISO time of the last change (null when the store keeps no history of it).',
    ),
    moduleStates: list(ref('ModuleState'), 'Every module, in load order, blocked ones last.'),
  }),
  PlannedChange: object(
    {
      module: text(),
      flag: text(),
      action: { enum: ['enable', 'disable', 'set', 'unset'] },
      reason: text('"requested", "required by invoicing", "requires billing".'),
      from: ANY_JSON,
      to: ANY_JSON,
    },
    ['action', 'reason'],
  ),
  Change: object({
    tenant: ref('TenantId'),
    changes: list(
      ref('PlannedChange'),
      'In the order they apply; empty when nothing had to change.',
    ),
    revision: whole('The revision after the change (the current one for a dry run).'),
    dryRun: flag(),
  }),
  TenantSettings: object({
    modules: names('Enabled modules (core ones not stored).'),
    flags: map(ANY_JSON),
  }),
  HistoryEntry: object({
    revision: whole(undefined, 1),
    at: text(),
    actor: text('Who made it: the authenticated actor, the CLI user, …'),
    operation: text(),
    before: ref('TenantSettings'),
    after: ref('TenantSettings'),
  }),
  History: object({ tenant: ref('TenantId'), history: list(ref('HistoryEntry'), 'Newest first.') }),
  ...REQUEST_SCHEMAS,
  ...HEALTH_SCHEMAS,
};
