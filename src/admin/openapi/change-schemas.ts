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

/** The request bodies of the changes and the bulk change, and the bulk answer. */
export const REQUEST_SCHEMAS: Record<string, Schema> = requestSchemas();

/** The health endpoint's answer. */
export const HEALTH_SCHEMAS: Record<string, Schema> = healthSchemas();

function requestSchemas(): Record<string, Schema> {
  const dryRun = flag('Plan only: say what would change, write nothing. Allowed with read access.');
  const modules = { ...names('Module names.'), minItems: 1 };
  const flagChanges = object(
    {
      set: map(ANY_JSON, 'Flags to set: key → JSON value, checked against the declared type.'),
      unset: names('Flags to remove (back to the default).'),
    },
    [],
  );
  return {
    EnableRequest: object(
      { modules, withDeps: flag('Enable missing required dependencies too.'), dryRun },
      ['modules'],
    ),
    DisableRequest: object(
      { modules, cascade: flag('Disable the enabled modules that require them too.'), dryRun },
      ['modules'],
    ),
    FlagsRequest: object(
      {
        set: map(ANY_JSON, 'Flags to set: key → JSON value, checked against the declared type.'),
        unset: names('Flags to remove (back to the default).'),
        strict: flag('Refuse flags no module declares.'),
        dryRun,
      },
      [],
    ),
    RollbackRequest: object(
      { to: whole('The revision whose state to restore (0: nothing on).'), dryRun },
      ['to'],
    ),
    BulkRequest: {
      type: 'object',
      required: ['action', 'tenants'],
      properties: {
        action: { enum: ['enable', 'disable', 'flags'] },
        modules,
        withDeps: flag(),
        cascade: flag(),
        flags: flagChanges,
        strict: flag(),
        tenants: {
          oneOf: [
            { ...list(ref('TenantId')), minItems: 1 },
            object({ withModule: text('Every tenant that has this module on.') }),
          ],
        },
        dryRun,
      },
      additionalProperties: false,
    },
    BulkResult: {
      oneOf: [
        object({ tenant: ref('TenantId'), status: { const: 200 }, result: ref('Change') }),
        object({
          tenant: ref('TenantId'),
          status: { type: 'integer', minimum: 400, maximum: 599 },
          error: { $ref: '#/components/schemas/Error/properties/error' },
        }),
      ],
    },
    BulkResponse: object({
      action: { enum: ['enable', 'disable', 'flags'] },
      dryRun: flag(),
      results: list(ref('BulkResult'), 'One per tenant, in the order asked.'),
      summary: object({ tenants: whole(), changed: whole(), unchanged: whole(), failed: whole() }),
    }),
  };
}

function healthSchemas(): Record<string, Schema> {
  const problem = object({ module: text(), reason: text() });
  return {
    Finding: object({
      check: { enum: ['store', 'registry', 'tenant'] },
      subject: text(),
      message: text(),
    }),
    Health: object(
      {
        status: { enum: ['ok', 'degraded', 'stale', 'failing'] },
        reason: text(),
        since: text(),
        store: object({ kind: text(), location: text() }),
        registry: object(
          {
            source: text(),
            loadedAt: nullableText('When this server loaded it.'),
            modules: whole(),
            reloadFailure: text('The registry changed but could not be loaded again.'),
          },
          ['source', 'loadedAt', 'modules'],
        ),
        modules: object({ failed: list(problem), blocked: list(problem) }),
        doctor: object({
          ok: flag(),
          tenants: whole('Tenants checked.'),
          complete: flag('False when there were more tenants than the check covers.'),
          findings: list(ref('Finding')),
        }),
      },
      ['status', 'store', 'registry', 'modules', 'doctor'],
    ),
  };
}
