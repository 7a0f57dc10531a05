import { MAX_HISTORY_LIMIT, MAX_TENANT_PAGE } from '../api/tenant-routes.js';
import { ref, type Schema } from './schema-builders.js';

/** Error responses by status, as `#/components/responses/<name>`. */
const ERRORS = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  409: 'Refused',
  412: 'PreconditionFailed',
  413: 'TooLarge',
  415: 'UnsupportedMediaType',
  500: 'Internal',
  503: 'Unavailable',
} as const;

type ErrorStatus = keyof typeof ERRORS;

const READ_ERRORS: ErrorStatus[] = [400, 401, 500, 503];
const CHANGE_ERRORS: ErrorStatus[] = [400, 401, 403, 409, 412, 413, 415, 500, 503];

const tenantParam = {
  name: 'tenant',
  in: 'path',
  required: true,
  schema: ref('TenantId'),
  description: 'The tenant id (percent-encoded in the path).',
};
const ifMatch = {
  name: 'If-Match',
  in: 'header',
  required: false,
  schema: { type: 'string', pattern: '^\\s*(W/)?"?\\d+"?\\s*$' },
  description:
    'The revision the change is based on (the ETag of GET /api/tenants/{tenant}): if the tenant has changed since, 412 and nothing is written.',
};
const etag = {
  ETag: { description: "The tenant's revision, quoted.", schema: { type: 'string' } },
};

/** The `paths` of the admin API's OpenAPI document. */
export function apiPaths(): Record<string, Record<string, unknown>> {
  return {
    '/api/modules': {
      get: read(
        'modules',
        'The registry: modules with load order, layers, cycles and blocked modules (as `discover --json`).',
        'Modules',
      ),
    },
    '/api/tenants': {
      get: {
        ...read(
          'tenants',
          `One page of tenants with their revision, time and module count (at most ${MAX_TENANT_PAGE}).`,
          'TenantPage',
        ),
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: MAX_TENANT_PAGE, default: 100 },
          },
          {
            name: 'cursor',
            in: 'query',
            schema: { type: 'string' },
            description: 'The `next` of the previous page.',
          },
        ],
      },
    },
    '/api/tenants/{tenant}': {
      parameters: [tenantParam],
      get: read(
        'tenant',
        "As `status <tenant> --json`, plus every module's state with the reason. 404 for a tenant never written.",
        'Tenant',
        [404],
        etag,
      ),
    },
    '/api/tenants/{tenant}/enable': {
      parameters: [tenantParam],
      post: change(
        'enable',
        'Enables modules (as `enable --json`); their required dependencies must be on, or `withDeps`.',
        'EnableRequest',
      ),
    },
    '/api/tenants/{tenant}/disable': {
      parameters: [tenantParam],
      post: change(
        'disable',
        'Disables modules (as `disable --json`); refused (409) while an enabled module requires them, unless `cascade`.',
        'DisableRequest',
      ),
    },
    '/api/tenants/{tenant}/flags': {
      parameters: [tenantParam],
      patch: change(
        'flags',
        'Sets and unsets flags (as `flags set|unset --json`). A declared flag takes only JSON values of its type (the string "true" is not a boolean): 400 otherwise, as for an undeclared key under `strict`.',
        'FlagsRequest',
      ),
    },
    '/api/tenants/{tenant}/history': {
      parameters: [tenantParam],
      get: {
        ...read(
          'history',
          "The tenant's latest changes, newest first (as `history --json`). 404 for a tenant never written.",
          'History',
          [404],
        ),
        parameters: [
          {
            name: 'limit',
            in: 'query',
            schema: { type: 'integer', minimum: 1, maximum: MAX_HISTORY_LIMIT, default: 20 },
          },
        ],
      },
    },
    '/api/tenants/{tenant}/rollback': {
      parameters: [tenantParam],
      post: change(
        'rollback',
        'Restores the state after revision `to`, through the planner (as `rollback --json`): 404 for a tenant never written, 400 for a revision the history does not keep, 409 when the old state would break a dependency now.',
        'RollbackRequest',
        [404],
      ),
    },
    '/api/bulk': {
      post: {
        operationId: 'bulk',
        summary:
          'One change (enable, disable or flags) planned and applied per tenant — listed ones, or those with a module on — with a result per tenant (200 even when some are refused). Not atomic across tenants; If-Match is refused.',
        requestBody: jsonBody('BulkRequest'),
        responses: {
          200: json('Per-tenant results.', 'BulkResponse'),
          ...errors([400, 401, 403, 413, 415, 500, 503]),
        },
      },
    },
    '/api/events': {
      get: {
        operationId: 'events',
        summary:
          'Server-Sent Events: `change` `{ tenant, revision }` for every committed change whoever made it; `reset` `{ reason }` when the store cannot say what changed (read again); `registry` `{ added, removed, changed }`; `health` `{ status, reason? }`; a `: heartbeat` comment every 15 s. Send the token in the Authorization header (fetch with a streamed body, not EventSource).',
        responses: {
          200: {
            description: 'The event stream.',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...errors([401, 500, 503]),
        },
      },
    },
    '/api/health': {
      get: read(
        'health',
        "The instance's health (store, registry freshness, failed and blocked modules) and the findings of doctor. Always 200: the body says how it is.",
        'Health',
      ),
    },
    '/api/openapi.json': {
      get: {
        operationId: 'openapi',
        summary: 'This document.',
        responses: {
          200: {
            description: 'OpenAPI 3.1.',
            content: { 'application/json': { schema: { type: 'object' } } },
          },
          ...errors([401, 500]),
        },
      },
    },
  };
}

function read(
  operationId: string,
  summary: string,
  schema: string,
  more: ErrorStatus[] = [],
  headers?: Record<string, unknown>,
) {
  return {
    operationId,
    summary,
    responses: { 200: json('OK.', schema, headers), ...errors([...READ_ERRORS, ...more]) },
  };
}

function change(operationId: string, summary: string, request: string, more: ErrorStatus[] = []) {
  return {
    operationId,
    summary,
    parameters: [ifMatch],
    requestBody: jsonBody(request),
    responses: {
      200: json('The change (or the plan, for a dry run).', 'Change', etag),
      ...errors([...CHANGE_ERRORS, ...more]),
    },
  };
}

function jsonBody(schema: string) {
  return { required: true, content: { 'application/json': { schema: ref(schema) } } };
}

function json(description: string, schema: string, headers?: Record<string, unknown>) {
  return {
    description,
    ...(headers === undefined ? {} : { headers }),
    content: { 'application/json': { schema: ref(schema) } },
  };
}

function errors(statuses: readonly ErrorStatus[]): Record<string, Schema> {
  const sorted = [...new Set(statuses)].sort((a, b) => a - b);
  return Object.fromEntries(
    sorted.map((status) => [status, { $ref: `#/components/responses/${ERRORS[status]}` }]),
  );
}
