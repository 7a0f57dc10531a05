import type {
  ModuleRequest,
  ModuleResponse,
  ModuleRoute,
  RequestTenant,
} from '../runtime/types.js';

/** What an adapter sends for a framework-neutral handler's result. */
export interface HandlerResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  /** Sent as JSON; undefined: no body. */
  body: unknown;
}

/** The request fields an adapter reads from its framework's request. */
export interface RequestParts {
  tenant: RequestTenant;
  method: string;
  params: unknown;
  query: unknown;
  body: unknown;
  headers: unknown;
  raw: unknown;
}

/**
 * Runs a framework-neutral route's handler and says what to send: its `respond(…)` as
 * given, `undefined` as 204, any other value as 200 JSON. A throw (or rejection) is passed on.
 */
export async function runModuleHandler(
  route: ModuleRoute,
  parts: RequestParts,
): Promise<HandlerResponse> {
  const request: ModuleRequest = {
    tenant: parts.tenant,
    method: parts.method,
    params: (parts.params ?? {}) as ModuleRequest['params'],
    query: (parts.query ?? {}) as ModuleRequest['query'],
    body: parts.body,
    headers: (parts.headers ?? {}) as ModuleRequest['headers'],
    raw: parts.raw,
    respond,
  };
  const result = await route.handler(request);
  if (isModuleResponse(result)) return result;
  return result === undefined
    ? { status: 204, headers: {}, body: undefined }
    : { status: 200, headers: {}, body: result };
}

// Shared through the global symbol registry: two copies of modreg in one process agree.
const RESPONSE = Symbol.for('modreg.module-response');

function respond(status: number, body?: unknown, headers: Record<string, string> = {}) {
  const response: ModuleResponse & { [RESPONSE]: true } = {
    status,
    body,
    headers,
    [RESPONSE]: true,
  };
  return response;
}

function isModuleResponse(value: unknown): value is ModuleResponse {
  return typeof value === 'object' && value !== null && RESPONSE in value;
}
