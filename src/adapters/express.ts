import { createRequire } from 'node:module';
import type { NextFunction, Request, Response, Router } from 'express';
import { isModregError } from '../../errors.js';
import type { ModuleLoader } from '../module-loader.js';
import type { RuntimeRegistry } from '../runtime-registry.js';
import type { TenantSnapshot } from '../types.js';

/** Finds the tenant of a request: from a header, the host, the session… */
export type ResolveTenant = (req: Request) => string | undefined | Promise<string | undefined>;

/** Options of `modreg.express()`. */
export interface ExpressAdapterOptions {
  resolveTenant: ResolveTenant;
}

/** What the adapter needs of a modreg instance. */
export interface ExpressAdapterHost {
  ready(): Promise<void>;
  snapshot(tenant: string): Promise<TenantSnapshot>;
  internals: { loader: ModuleLoader; registry: () => RuntimeRegistry };
}

/** What a module's route handlers find on `req.tenant`. */
export interface RequestTenant {
  id: string;
  snapshot: TenantSnapshot;
  flags: Record<string, unknown>;
}

/**
 * Express 5 middleware: mounts every module's router under its `routes.prefix` and lets a
 * request through only when its tenant has that module enabled and loaded. No tenant → 400;
 * module disabled for the tenant → 403; module failed or blocked → 503; each with a JSON
 * body naming the module and tenant. Enabling a module makes its routes live at once.
 */
export function createExpressMiddleware(host: ExpressAdapterHost, options: ExpressAdapterOptions) {
  const express = createRequire(import.meta.url)('express') as typeof import('express');
  let router: Router | undefined;
  const build = () => {
    const parent = express.Router();
    const registry = host.internals.registry();
    const withPrefix = [...registry.planning.modules.values()].filter(
      (m) => m.routes.prefix !== null,
    );
    // Longer prefixes first, so /billing/admin wins over /billing.
    withPrefix.sort(
      (a, b) => (b.routes.prefix as string).length - (a.routes.prefix as string).length,
    );
    for (const record of withPrefix) {
      const moduleRouter = express.Router();
      host.internals.loader.router(record.name).follow((route) => {
        (moduleRouter[route.method] as (...args: unknown[]) => unknown).apply(
          moduleRouter,
          route.args,
        );
      });
      parent.use(record.routes.prefix as string, gate(host, options, record.name), moduleRouter);
    }
    return parent;
  };
  return (req: Request, res: Response, next: NextFunction) => {
    host.ready().then(
      () => {
        router ??= build();
        router(req, res, next);
      },
      (error: unknown) => next(error),
    );
  };
}

function gate(host: ExpressAdapterHost, options: ExpressAdapterOptions, module: string) {
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
    try {
      const snapshot = await host.snapshot(tenant);
      if (!snapshot.isModuleEnabled(module)) {
        res.status(403).json({
          error: 'module-disabled',
          module,
          tenant,
          message: `Module "${module}" is not enabled for tenant "${tenant}".`,
        });
        return;
      }
      // The snapshot in hand: one cache lookup per request, and no list of every module.
      await host.internals.loader.sync(snapshot);
      const status = host.internals.loader.status(snapshot, module);
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
      (req as Request & { tenant: RequestTenant }).tenant = {
        id: tenant,
        snapshot,
        flags: snapshot.flags(),
      };
      next();
    } catch (error) {
      if (isModregError(error) && error.code === 'invalid') {
        res.status(400).json({ error: 'tenant-invalid', module, message: error.message });
      } else if (isModregError(error)) {
        res
          .status(503)
          .json({ error: 'state-unavailable', module, tenant, message: error.message });
      } else next(error);
    }
  };
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
