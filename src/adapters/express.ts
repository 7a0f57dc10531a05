import { createRequire } from 'node:module';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { isModregError } from '../errors.js';
import type { Modreg } from '../runtime/modreg.js';
import type { ModuleRoute, RecordedRoute, RequestTenant } from '../runtime/types.js';
import { admitRequest, unavailableBody } from './gate.js';
import { runModuleHandler } from './module-handler.js';

export type { RequestTenant } from '../runtime/types.js';

/** Finds the tenant of a request: from a header, the host, the session… */
export type ResolveTenant = (req: Request) => string | undefined | Promise<string | undefined>;

/** Options of {@link createExpressMiddleware}. */
export interface ExpressAdapterOptions {
  resolveTenant: ResolveTenant;
}

/**
 * Express 5 middleware for a modreg instance: mounts every module's routes under its
 * `routes.prefix` and lets a request through only when its tenant has that module enabled
 * and loaded. No tenant → 400; module disabled for the tenant → 403; module failed or blocked,
 * or the store unreachable for a tenant never seen → 503; each with a JSON body naming the
 * module and tenant. Enabling a module makes its routes live at once, and a new registry
 * (modules added or removed) is mounted on the next request. Uses only the public `Modreg`.
 */
export function createExpressMiddleware(
  modreg: Modreg,
  options: ExpressAdapterOptions,
): RequestHandler {
  const express = createRequire(import.meta.url)('express') as typeof import('express');
  let mounted: { router: Router; stop: () => void } | undefined;
  modreg.on('registry', () => {
    mounted?.stop();
    mounted = undefined;
  });
  const mount = () => {
    const router = express.Router();
    const stops: (() => void)[] = [];
    const withPrefix = modreg.modules().filter((m) => m.routes.prefix !== null);
    // Longer prefixes first, so /billing/admin wins over /billing.
    withPrefix.sort(
      (a, b) => (b.routes.prefix as string).length - (a.routes.prefix as string).length,
    );
    for (const record of withPrefix) {
      const moduleRouter = express.Router();
      stops.push(modreg.moduleRoutes(record.name).follow((route) => add(moduleRouter, route)));
      router.use(record.routes.prefix as string, gate(modreg, options, record.name), moduleRouter);
    }
    return {
      router,
      stop: () => {
        for (const stop of stops) stop();
      },
    };
  };
  return (req, res, next) => {
    modreg.ready().then(
      () => {
        mounted ??= mount();
        mounted.router(req, res, next);
      },
      (error: unknown) => unavailable(res, next, error),
    );
  };
}

/** Adds one recorded route: a framework-neutral one wrapped, an Express one as it is. */
function add(router: Router, route: RecordedRoute): void {
  if (route.method === 'route') {
    const definition = route.args[0] as ModuleRoute;
    const method = definition.method.toLowerCase() as Lowercase<ModuleRoute['method']>;
    router[method](definition.path, neutral(definition));
    return;
  }
  (router[route.method] as (...args: unknown[]) => unknown).apply(router, route.args);
}

function neutral(route: ModuleRoute): RequestHandler {
  return async (req, res, next) => {
    try {
      const { status, headers, body } = await runModuleHandler(route, {
        tenant: (req as Request & { tenant: RequestTenant }).tenant,
        method: req.method,
        params: req.params,
        query: req.query,
        body: req.body,
        headers: req.headers,
        raw: req,
      });
      res.status(status).set(headers);
      if (body === undefined) res.end();
      else res.json(body);
    } catch (error) {
      next(error);
    }
  };
}

function gate(modreg: Modreg, options: ExpressAdapterOptions, module: string): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const verdict = await admitRequest(modreg, module, await options.resolveTenant(req));
      if (!verdict.admitted) {
        res.status(verdict.status).json(verdict.body);
        return;
      }
      (req as Request & { tenant: RequestTenant }).tenant = verdict.tenant;
    } catch (error) {
      return next(error);
    }
    next();
  };
}

/** The instance could not start: 503 with why, or the error to Express for anything else. */
function unavailable(res: Response, next: NextFunction, error: unknown): void {
  if (!isModregError(error)) {
    next(error);
    return;
  }
  res.status(503).json(unavailableBody(error));
}

/** A resolver reading the tenant id from a request header (default `x-tenant-id`). */
export function tenantFromHeader(name = 'x-tenant-id'): ResolveTenant {
  return (req) => {
    const value = req.get(name);
    return value === undefined || value === '' ? undefined : value;
  };
}

/** A resolver taking the tenant id from the first label of the host name (`acme.example.com`). */
export function tenantFromSubdomain(): ResolveTenant {
  return (req) => {
    const labels = req.hostname.split('.');
    return labels.length > 2 ? labels[0] : undefined;
  };
}
