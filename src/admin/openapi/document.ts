import { OFREP_ERROR_RESPONSE, OFREP_SCHEMAS, ofrepPaths } from './ofrep-paths.js';
import { apiPaths } from './paths.js';
import type { Schema } from './schema-builders.js';
import { SCHEMAS } from './schemas.js';

/** The error responses: each an Error body whose `code` is the one of its status. */
const ERROR_RESPONSES: Record<
  string,
  { description: string; codes: string[]; headers?: string[] }
> = {
  BadRequest: {
    description:
      'Bad input: an unknown module, a bad tenant id, a flag value of the wrong type, a bad body or parameter.',
    codes: ['invalid'],
  },
  Unauthorized: {
    description: 'No valid access token (see WWW-Authenticate).',
    codes: ['unauthorized'],
    headers: ['WWW-Authenticate'],
  },
  Forbidden: { description: 'A change with read-only access.', codes: ['forbidden'] },
  NotFound: {
    description: 'The tenant has never been written (or there is no such path).',
    codes: ['not-found'],
  },
  MethodNotAllowed: {
    description: 'The path does not take this method (see Allow).',
    codes: ['method-not-allowed'],
    headers: ['Allow'],
  },
  Refused: {
    description:
      'Refused by the planner (`refused`, with the alternative and the dependency paths), or the tenant kept changing under the change (`conflict`; retry).',
    codes: ['refused', 'conflict'],
  },
  PreconditionFailed: {
    description: 'If-Match: the tenant changed since that revision; nothing was written.',
    codes: ['conflict'],
  },
  TooLarge: {
    description: 'The body is larger than the limit (64 KiB by default).',
    codes: ['too-large'],
  },
  UnsupportedMediaType: {
    description: 'The body is not sent as application/json.',
    codes: ['unsupported-media-type'],
  },
  Internal: { description: 'A bug in the admin server (logged).', codes: ['internal'] },
  Unavailable: {
    description: 'The store is unavailable (or modreg has not started); retry.',
    codes: ['environment'],
    headers: ['Retry-After'],
  },
};

/**
 * The OpenAPI 3.1 document of the admin API: every operation, its request and response
 * bodies, and every error body. Schemas are plain JSON Schema 2020-12 (`jsonSchemaDialect`).
 */
export function adminOpenApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'modreg admin API',
      version: '1',
      description:
        'Switch modules and flags per tenant through the same planner as the modreg CLI; JSON shapes are those of its --json output. Every error body is { "error": { "code", "message" } }, except under /ofrep/v1, which answers the OpenFeature Remote Evaluation Protocol with its own bodies.',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    security: [{ bearer: [] }],
    paths: { ...apiPaths(), ...ofrepPaths() },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            "An admin token (read or write), or whatever the host app's authorize(req) accepts.",
        },
      },
      schemas: { ...SCHEMAS, ...OFREP_SCHEMAS },
      responses: {
        ...Object.fromEntries(
          Object.entries(ERROR_RESPONSES).map(([name, { description, codes, headers }]) => [
            name,
            {
              description,
              ...(headers === undefined
                ? {}
                : {
                    headers: Object.fromEntries(
                      headers.map((h) => [h, { schema: { type: 'string' } }]),
                    ),
                  }),
              content: { 'application/json': { schema: errorSchema(codes) } },
            },
          ]),
        ),
        OfrepError: OFREP_ERROR_RESPONSE,
      },
    },
  };
}

function errorSchema(codes: readonly string[]): Schema {
  return {
    $ref: '#/components/schemas/Error',
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { enum: [...codes] } } } },
  };
}
