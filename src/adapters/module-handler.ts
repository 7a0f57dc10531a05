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
 * given, `undefined` as 204, any other value as 200 JSON. A handler that answers at once is
 * answered at once (no promise: the hot path of every request); a throw, or a rejection, is
 * passed on.
 */
export function runModuleHandler(
  route: ModuleRoute,
  parts: RequestParts,
): HandlerResponse | Promise<HandlerResponse> {
  const result = route.handler({
    tenant: parts.tenant,
    method: parts.method,
    params: (parts.params ?? {}) as ModuleRequest['params'],
    query: (parts.query ?? {}) as ModuleRequest['query'],
    body: parts.body,
    headers: (parts.headers ?? {}) as ModuleRequest['headers'],
    raw: parts.raw,
    respond,
  });
  return isThenable(result) ? Promise.resolve(result).then(toResponse) : toResponse(result);
}

/** True for a promise, or anything else with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

// Shared through the global symbol registry: two copies of modreg in one process agree.
const RESPONSE = Symbol.for('modreg.module-response');
const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

function respond(status: number, body?: unknown, headers: Record<string, string> = {}) {
  const response: ModuleResponse & { [RESPONSE]: true } = {
    status,
    body,
    headers,
    [RESPONSE]: true,
  };
  return response;
}

function toResponse(result: unknown): HandlerResponse {
  if (typeof result === 'object' && result !== null && RESPONSE in result) {
    return result as unknown as ModuleResponse;
  }
  return result === undefined
    ? { status: 204, headers: NO_HEADERS, body: undefined }
    : { status: 200, headers: NO_HEADERS, body: result };
}
