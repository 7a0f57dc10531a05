import { createRequire } from 'node:module';
import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import { isModregError } from '../errors.js';
import type { Modreg } from '../runtime/modreg.js';
import type { ModuleStatus, TenantSnapshot } from '../runtime/types.js';

/** Finds the tenant of a request: from a header, the host, the session… */
export type ResolveTenant = (req: Request) => string | undefined | Promise<string | undefined>;

/** Options of {@link createExpressMiddleware}. */
export interface ExpressAdapterOptions {
  resolveTenant: ResolveTenant;
}

/** What a module's route handlers find on `req.tenant`. */
export interface RequestTenant {
  id: string;
  snapshot: TenantSnapshot;
  /** Every flag: declared defaults overlaid by the tenant's values. */
  flags: Record<string, unknown>;
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
      stops.push(
        modreg.moduleRoutes(record.name).follow((route) => {
          (moduleRouter[route.method] as (...args: unknown[]) => unknown).apply(
            moduleRouter,
            route.args,
          );
        }),
      );
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

function gate(modreg: Modreg, options: ExpressAdapterOptions, module: string): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    let tenant: string | undefined;
    try {
      tenant = await options.resolveTenant(req);
    } catch (error) {
      return next(error);
    }
    if (tenant === undefined || tenant === '') {
      res
        .status(400)
        .json({ error: 'tenant-required', module, message: 'No tenant found for this request.' });
      return;
    }
    let status: ModuleStatus;
    try {
      status = await modreg.moduleStatus(tenant, module);
    } catch (error) {
      if (isModregError(error) && error.code === 'invalid') {
        res.status(400).json({ error: 'tenant-invalid', module, message: error.message });
      } else if (isModregError(error)) {
        res
          .status(503)
          .json({ error: 'state-unavailable', module, tenant, message: error.message });
      } else next(error);
      return;
    }
    if (status.state === 'disabled') {
      res.status(403).json({
        error: 'module-disabled',
        module,
        tenant,
        message: `Module "${module}" is not enabled for tenant "${tenant}".`,
      });
      return;
    }
    if (status.state !== 'loaded') {
      res.status(503).json({
        error: 'module-unavailable',
        module,
        tenant,
        state: status.state,
        reason: status.reason,
      });
      return;
    }
    // The snapshot moduleStatus just used; read again only if it was dropped meanwhile.
    const snapshot = modreg.peek(tenant) ?? (await modreg.snapshot(tenant).catch(() => undefined));
    if (snapshot === undefined) {
      res.status(503).json({ error: 'state-unavailable', module, tenant });
      return;
    }
    (req as Request & { tenant: RequestTenant }).tenant = {
      id: tenant,
      snapshot,
      flags: snapshot.flags(),
    };
    next();
  };
}

/** The instance could not start: 503 with why, or the error to Express for anything else. */
function unavailable(res: Response, next: NextFunction, error: unknown): void {
  if (!isModregError(error)) {
    next(error);
    return;
  }
  res.status(503).json({ error: 'modreg-unavailable', message: error.message });
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
