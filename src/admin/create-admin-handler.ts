import type { IncomingMessage, ServerResponse } from 'node:http';
import { isModregError, ModregError } from '../errors.js';
import type { Modreg } from '../runtime/modreg.js';
import type { Logger } from '../runtime/types.js';
import type { ApiContext } from './api/api-context.js';
import { createRegistryViews } from './api/registry-views.js';
import { apiRoutes } from './api/routes.js';
import { resolveAuthorize } from './authorize.js';
import { createEventHub } from './events.js';
import { type ErrorRenderer, sendError, sendJson } from './http/reply.js';
import { readJsonBody } from './http/request-body.js';
import { AdminRequestError, badRequest, errorReply } from './http/request-error.js';
import { setSecurityHeaders } from './http/security-headers.js';
import { ofrepErrorReply } from './ofrep/ofrep-answers.js';
import { ofrepRoutes } from './ofrep/ofrep-routes.js';
import { createRouter, type RouteContext } from './router.js';
import { createStaticFiles, DEFAULT_CONSOLE_DIR } from './static-files.js';
import type { AdminHandler, AdminNext, AdminOptions } from './types.js';

/**
 * The admin server as one node:http handler: the JSON API under `/api` (bearer tokens or
 * `authorize`; no anonymous access), its OpenAPI document, the event stream, and the web
 * console's files at `/`. Works as `http.createServer(handler)`, `app.use('/admin', handler)`
 * (Express) or from a Fastify catch-all route (see the README). Uses only the public
 * interface of `modreg`; close the handler before the server (it ends the event streams).
 */
export function createAdminHandler(modreg: Modreg, options: AdminOptions = {}): AdminHandler {
  const authorize = resolveAuthorize(options);
  const base = (options.basePath ?? '').replace(/\/+$/, '');
  const logger = resolveLogger(options.logger);
  const maxBodyBytes = count(options, 'maxBodyBytes', 65_536);
  const events = createEventHub(modreg, {
    heartbeatMs: count(options, 'heartbeatMs', 15_000),
    prepare: setSecurityHeaders,
  });
  const api: ApiContext = {
    modreg,
    views: createRegistryViews(modreg),
    events,
    maxBulkTenants: count(options, 'maxBulkTenants', 1000),
    healthTenantLimit: count(options, 'healthTenantLimit', 1000),
    ...(options.doctor === undefined ? {} : { doctor: options.doctor }),
  };
  const route = createRouter([...apiRoutes(api), ...ofrepRoutes(api, options.ofrep)]);
  const consoleDir = options.consoleDir ?? DEFAULT_CONSOLE_DIR;
  const files = consoleDir === false ? undefined : createStaticFiles(consoleDir);

  const answerApi = async (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: string,
  ) => {
    const identity = await authorize(req);
    const match = route(req.method ?? 'GET', path);
    if (match === undefined) {
      throw new AdminRequestError(
        404,
        'not-found',
        `There is no ${path} in the admin API; GET api/openapi.json lists what there is.`,
      );
    }
    if ('allowed' in match) {
      throw new AdminRequestError(
        405,
        'method-not-allowed',
        `${path} does not take ${req.method}; it takes ${match.allowed.join(', ')}.`,
        { Allow: match.allowed.join(', ') },
      );
    }
    if (match.route.beforeReady !== true) await ready(modreg);
    let json: Promise<unknown> | undefined;
    const ctx: RouteContext = {
      req,
      res,
      modreg,
      params: match.params,
      query: new URLSearchParams(search),
      identity,
      json: () => {
        json ??= readJsonBody(req, maxBodyBytes);
        return json;
      },
      body: () => ctx.json().then(objectBody),
      changeActor(dryRun) {
        if (identity.access !== 'write' && !dryRun) {
          throw new AdminRequestError(
            403,
            'forbidden',
            `"${identity.actor}" has read-only access: it may read and ask for dry runs, not change tenants.`,
            { 'WWW-Authenticate': 'Bearer error="insufficient_scope"' },
          );
        }
        return identity.actor;
      },
    };
    const reply = await match.route.handle(ctx);
    if (reply !== undefined) sendJson(res, reply.status ?? 200, reply.body, reply.headers);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, next?: AdminNext) => {
    let url = req.url ?? '/';
    if (base !== '') {
      if (url !== base && !url.startsWith(`${base}/`) && !url.startsWith(`${base}?`)) {
        if (next !== undefined) return next();
      } else url = url.slice(base.length);
    }
    const at = url.indexOf('?');
    const path = (at < 0 ? url : url.slice(0, at)) || '/';
    const search = at < 0 ? '' : url.slice(at + 1);
    if (path === '/api' || path.startsWith('/api/')) {
      setSecurityHeaders(res);
      return answerApi(req, res, path, search);
    }
    if (path.startsWith('/ofrep/')) {
      setSecurityHeaders(res);
      // An OFREP client reads OFREP's error bodies, not the API's.
      return answerApi(req, res, path, search).catch((error: unknown) =>
        fail(req, res, error, ofrepErrorReply),
      );
    }
    if (files !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
      if (path === '/' && needsSlash(req)) return redirectToSlash(req, res);
      setSecurityHeaders(res);
      if (await files.serve(req, res, path)) return;
    }
    if (next !== undefined) return next();
    setSecurityHeaders(res);
    throw new AdminRequestError(404, 'not-found', `Nothing is served at ${path.slice(0, 100)}.`);
  };

  const fail = (
    req: IncomingMessage,
    res: ServerResponse,
    error: unknown,
    render: ErrorRenderer,
  ) => {
    const status = sendError(res, error, render);
    if (status === 500)
      logger.error(
        `modreg admin: ${req.method} ${req.url} failed: ${(error as Error)?.stack ?? error}`,
      );
    if (status === 413) res.once('finish', () => req.socket.destroy());
  };

  const handler = (req: IncomingMessage, res: ServerResponse, next?: AdminNext) => {
    handle(req, res, next).catch((error: unknown) => fail(req, res, error, errorReply));
  };
  return Object.assign(handler, {
    async close() {
      events.close();
    },
  });
}

async function ready(modreg: Modreg): Promise<void> {
  if (modreg.isReady()) return;
  try {
    await modreg.ready();
  } catch (error) {
    const reason = isModregError(error) || error instanceof Error ? error.message : String(error);
    throw new AdminRequestError(503, 'environment', `modreg has not started: ${reason}`, {
      'Retry-After': '1',
    });
  }
}

/** A numeric option: a whole number of at least 1, or its default. */
function count(
  options: AdminOptions,
  name: 'maxBodyBytes' | 'heartbeatMs' | 'maxBulkTenants' | 'healthTenantLimit',
  fallback: number,
): number {
  const value = options[name] ?? fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new ModregError(
      'usage',
      `The admin option ${name} is a whole number of at least 1, not ${String(value)}.`,
    );
  }
  return value;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('The request body must be a JSON object, e.g. { "modules": ["billing"] }.');
  }
  return body as Record<string, unknown>;
}

/** `/admin` mounted by Express reaches the handler as `/`: relative links need `/admin/`. */
function needsSlash(req: IncomingMessage): boolean {
  const original = (req as IncomingMessage & { originalUrl?: string }).originalUrl;
  if (typeof original !== 'string') return false;
  const path = original.split('?')[0] as string;
  return !path.endsWith('/');
}

function redirectToSlash(req: IncomingMessage, res: ServerResponse): void {
  const original = (req as IncomingMessage & { originalUrl: string }).originalUrl;
  const at = original.indexOf('?');
  const location = at < 0 ? `${original}/` : `${original.slice(0, at)}/${original.slice(at)}`;
  setSecurityHeaders(res);
  res.writeHead(308, { Location: location, 'Content-Length': 0 });
  res.end();
}

function resolveLogger(given: Logger | false | undefined): Pick<Logger, 'error'> {
  if (given === false) return { error() {} };
  return given ?? { error: (message) => console.error(message) };
}
