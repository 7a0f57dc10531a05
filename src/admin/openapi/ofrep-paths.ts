import { ANY_JSON, object, ref, type Schema, text, whole } from './schema-builders.js';

/**
 * The reasons modreg's OFREP answers give. OFREP's own list (STATIC, TARGETING_MATCH, SPLIT,
 * DISABLED, UNKNOWN) lacks two OpenFeature reasons modreg needs, as the in-process provider
 * gives them: DEFAULT (a declared default) and STALE (the instance serves its last known
 * state). OFREP clients pass the reason on as it is.
 */
const REASONS = ['TARGETING_MATCH', 'DEFAULT', 'STATIC', 'DISABLED', 'STALE'];

/** The OFREP schemas modreg answers with, as `#/components/schemas/Ofrep…`. */
export const OFREP_SCHEMAS: Record<string, Schema> = {
  OfrepRequest: {
    type: 'object',
    description:
      'The evaluation context: its `tenant` attribute (or the admin option ofrep.tenantAttribute) names the tenant, else its `targetingKey`.',
    properties: {
      context: {
        type: 'object',
        properties: { targetingKey: text(), tenant: text() },
        additionalProperties: true,
      },
    },
    required: ['context'],
  },
  OfrepFlag: object(
    {
      key: text(),
      value: {
        ...ANY_JSON,
        description:
          'Absent for DISABLED (the module is off for the tenant) and for a flag declared without a default: the client uses its code default.',
      },
      reason: { enum: REASONS },
      variant: text('`on` / `off` for a module key, `default` for a declared default.'),
      metadata: object(
        { module: text('The declaring module.'), tenant: ref('TenantId'), revision: whole() },
        ['tenant', 'revision'],
      ),
    },
    ['key', 'reason', 'metadata'],
  ),
  OfrepFailure: object(
    {
      key: text('Left out for a bulk request.'),
      errorCode: {
        enum: [
          'PARSE_ERROR',
          'INVALID_CONTEXT',
          'TARGETING_KEY_MISSING',
          'FLAG_NOT_FOUND',
          'GENERAL',
        ],
      },
      errorDetails: text(),
    },
    ['errorCode', 'errorDetails'],
  ),
  OfrepBulk: object({
    flags: {
      type: 'array',
      items: ref('OfrepFlag'),
      description:
        "For each module in load order its `module:<name>` key and the flags it declares, then the tenant's own undeclared keys.",
    },
    metadata: object({ tenant: ref('TenantId'), revision: whole() }),
  }),
  OfrepGeneralError: object(
    {
      errorCode: { enum: ['PARSE_ERROR'] },
      errorDetails: text(),
    },
    ['errorDetails'],
  ),
};

/** OFREP's body for errors outside an evaluation (no token, a path OFREP lacks, a bug). */
export const OFREP_ERROR_RESPONSE = {
  description:
    "OFREP's general error body: no or a bad token (401, with WWW-Authenticate), a path or method OFREP lacks (404, 405), a body too large or not JSON (413, 415), a bug (500).",
  content: { 'application/json': { schema: ref('OfrepGeneralError') } },
};

/** The OFREP paths of the admin server's OpenAPI document. */
export function ofrepPaths(): Record<string, Record<string, unknown>> {
  const failure = (description: string) => ({
    description,
    content: { 'application/json': { schema: ref('OfrepFailure') } },
  });
  const general = { $ref: '#/components/responses/OfrepError' };
  const unavailable = {
    description:
      'GENERAL (with Retry-After): modreg has not started or the store does not answer; retry. Or a bug in the admin server ({ errorDetails }, logged).',
    content: {
      'application/json': { schema: { anyOf: [ref('OfrepFailure'), ref('OfrepGeneralError')] } },
    },
  };
  const request = {
    required: true,
    content: { 'application/json': { schema: ref('OfrepRequest') } },
  };
  return {
    '/ofrep/v1/evaluate/flags/{key}': {
      post: {
        operationId: 'ofrepflag',
        summary:
          'OFREP: one flag, or a module key (`module:<name>`, a boolean), for the tenant the context names. Read access suffices.',
        parameters: [{ name: 'key', in: 'path', required: true, schema: text() }],
        requestBody: request,
        responses: {
          200: {
            description: 'The flag.',
            content: { 'application/json': { schema: ref('OfrepFlag') } },
          },
          400: failure('PARSE_ERROR, INVALID_CONTEXT or TARGETING_KEY_MISSING.'),
          401: general,
          404: failure('FLAG_NOT_FOUND: no module declares the key and the tenant has not set it.'),
          405: general,
          413: general,
          415: general,
          500: unavailable,
        },
      },
    },
    '/ofrep/v1/evaluate/flags': {
      post: {
        operationId: 'ofrepflags',
        summary:
          'OFREP bulk: every key the tenant has an answer for, with an ETag; If-None-Match answers 304 while nothing the client would see changed.',
        parameters: [{ name: 'If-None-Match', in: 'header', required: false, schema: text() }],
        requestBody: request,
        responses: {
          200: {
            description: 'Every flag.',
            headers: { ETag: { schema: { type: 'string' } } },
            content: { 'application/json': { schema: ref('OfrepBulk') } },
          },
          304: {
            description: 'The client holds this answer (its ETag again, no body).',
            headers: { ETag: { schema: { type: 'string' } } },
          },
          400: failure('PARSE_ERROR, INVALID_CONTEXT or TARGETING_KEY_MISSING (no key).'),
          401: general,
          405: general,
          413: general,
          415: general,
          500: unavailable,
        },
      },
    },
  };
}
