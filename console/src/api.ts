import type { ErrorBody } from './types.js';

/** Where the token is kept: this tab only, gone when it closes. */
const TOKEN_KEY = 'modreg-admin-token';

/** The access token of this tab, if one was given. */
export function storedToken(): string | undefined {
  return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function storeToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An API answer that is not 2xx, with the error body the API sent. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
  }
}

let onUnauthorized: (message: string) => void = () => {};

/** What to do when the API answers 401: the console goes back to the token form. */
export function whenUnauthorized(handler: (message: string) => void): void {
  onUnauthorized = handler;
}

/** Options of {@link api}. */
export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  /** The revision the change was planned on, sent as If-Match. */
  ifMatch?: number;
  signal?: AbortSignal;
}

/**
 * Calls the API at `path` (relative to the console, so a mounted console finds its API) with
 * the token as a bearer header — never in the URL.
 */
export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  const response = await fetch(path, {
    method: request.method ?? 'GET',
    headers: headers(request),
    ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    cache: 'no-store',
  });
  if (response.ok) return (await response.json()) as T;
  const body = await errorBody(response);
  if (response.status === 401) onUnauthorized(body.message);
  throw new ApiError(response.status, body);
}

/** The request headers: the token, and the JSON type and If-Match when there is a body. */
export function headers(request: ApiRequest = {}): Record<string, string> {
  const result: Record<string, string> = { Accept: 'application/json' };
  const token = storedToken();
  if (token !== undefined) result.Authorization = `Bearer ${token}`;
  if (request.body !== undefined) result['Content-Type'] = 'application/json';
  if (request.ifMatch !== undefined) result['If-Match'] = `"${request.ifMatch}"`;
  return result;
}

/** The API path of a tenant (or one of its sub-resources); the id is percent-encoded. */
export function tenantPath(tenant: string, rest = ''): string {
  return `api/tenants/${encodeURIComponent(tenant)}${rest}`;
}

async function errorBody(response: Response): Promise<ErrorBody> {
  const text = await response.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { error?: ErrorBody };
    if (parsed.error !== undefined && typeof parsed.error.message === 'string') return parsed.error;
  } catch {
    // not JSON: a proxy's page; say what came back instead
  }
  return {
    code: 'internal',
    message: `The admin API answered ${response.status} ${response.statusText}${text === '' ? '' : `: ${text.slice(0, 200)}`}`,
  };
}
