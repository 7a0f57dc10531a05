import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Modreg } from '../runtime/modreg.js';
import { badRequest } from './http/request-error.js';
import type { AdminIdentity } from './types.js';

/** What a route's handler gets. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  modreg: Modreg;
  /** The path's `{name}` parts, decoded. */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  identity: AdminIdentity;
  /** The JSON body, which must be an object (400 otherwise; 413, 415 as readJsonBody). */
  body(): Promise<Record<string, unknown>>;
  /** The JSON body, whatever its shape (400, 413, 415 as readJsonBody). */
  json(): Promise<unknown>;
  /**
   * The actor a change is recorded as, once the caller may make it: 403 for a read-only
   * caller, unless `dryRun` (planning writes nothing).
   */
  changeActor(dryRun: boolean): string;
}

/** An answer: JSON `body` with `status` (200 unless given). */
export interface RouteReply {
  status?: number;
  body: unknown;
  headers?: Readonly<Record<string, string>>;
}

/** One operation of the API. */
export interface Route {
  method: 'GET' | 'POST' | 'PATCH';
  /** As in the OpenAPI document: `/api/tenants/{tenant}/enable`. */
  path: string;
  /** Answered also before the instance is ready (health, the document, events). @default false */
  beforeReady?: boolean;
  /** Answers, or streams the response itself and resolves to undefined (event streams). */
  handle(ctx: RouteContext): Promise<RouteReply | undefined>;
}

/** What a method and path lead to. */
export type RouteMatch =
  | { route: Route; params: Record<string, string> }
  | { allowed: string[] }
  | undefined;

/** Finds the route of a request path (HEAD as GET); `{ allowed }` when only the method is wrong. */
export function createRouter(
  routes: readonly Route[],
): (method: string, path: string) => RouteMatch {
  const compiled = routes.map((route) => ({ route, parts: route.path.split('/') }));
  return (method, path) => {
    const parts = path.split('/');
    const allowed: string[] = [];
    const wanted = method === 'HEAD' ? 'GET' : method;
    for (const { route, parts: pattern } of compiled) {
      const params = matchParts(pattern, parts);
      if (params === undefined) continue;
      if (route.method === wanted) return { route, params };
      allowed.push(route.method);
    }
    if (allowed.length === 0) return undefined;
    if (allowed.includes('GET')) allowed.push('HEAD');
    return { allowed };
  };
}

function matchParts(
  pattern: readonly string[],
  parts: readonly string[],
): Record<string, string> | undefined {
  if (pattern.length !== parts.length) return undefined;
  let params: Record<string, string> | undefined;
  for (let i = 0; i < pattern.length; i++) {
    const want = pattern[i] as string;
    const got = parts[i] as string;
    if (want.startsWith('{')) {
      if (got === '') return undefined;
      params ??= Object.create(null) as Record<string, string>;
      params[want.slice(1, -1)] = decodePart(got);
    } else if (want !== got) return undefined;
  }
  return params ?? {};
}

function decodePart(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw badRequest(`The path segment "${part.slice(0, 60)}" is not valid percent-encoding.`);
  }
}
