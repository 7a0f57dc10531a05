import type {
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HTTPMethods,
} from 'fastify';
import fastifyPlugin from 'fastify-plugin';
import { ModregError } from '../errors.js';
import { shownValue } from '../message-text.js';
import type { Modreg } from '../runtime/modreg.js';
import type { RequestTenant } from '../runtime/types.js';
import { createModuleMounts, trimSlash } from './fastify-mounts.js';
import { type MountedHandler, modulePathsFor } from './fastify-routes.js';
import { admitRequest } from './gate.js';
import { isThenable } from './module-handler.js';

export type { RequestTenant } from '../runtime/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** On a module's routes, the tenant the request was let through for; null elsewhere. */
    tenant: RequestTenant | null;
  }
}

/** Finds the tenant of a request: from a header, the host, the session… */
export type ResolveTenant = (
  request: FastifyRequest,
) => string | undefined | Promise<string | undefined>;

/** Options of {@link modregPlugin}. */
export interface ModregPluginOptions {
  /** The instance whose modules are served; the plugin never closes it. */
  modreg: Modreg;
  resolveTenant: ResolveTenant;
  /**
   * Also mount one wildcard route (`/*`) at the plugin's own prefix, so that a module added to
   * the registry later under a prefix of its own is served without a restart. Off by default:
   * that route takes the context's `/*` (an app serving its own `/*`, such as a static file
   * plugin at the root, would clash with it). Paths no module serves stay the app's 404.
   * @default false
   */
  catchAll?: boolean;
}

/**
 * A Fastify 5 plugin (`app.register(modregPlugin, { modreg, resolveTenant })`) serving every
 * module's routes under its `routes.prefix`, for the tenants that have it enabled and loaded,
 * with the Express adapter's refusals: no tenant → 400; disabled → 403; failed, blocked, or the
 * store unreachable for a tenant never seen → 503; each with the same JSON body.
 *
 * Registration waits for `modreg.ready()` (and fails the boot if it rejects). Fastify takes no
 * routes after `ready()`, while a module's `setup` — which registers its routes — runs when a
 * tenant first needs it: so each module prefix gets one wildcard route, in a context of its
 * own, that dispatches to the module's routes as `setup` adds them (matched by find-my-way,
 * with the app's router options). Enabling a module makes its routes live at once; a module
 * added to the registry later is served if its prefix lies under one mounted at registration,
 * otherwise after a restart (logged as a warning) unless `catchAll` mounts the plugin's whole
 * prefix. Uses only the public `Modreg`.
 */
export const modregPlugin: FastifyPluginAsync<ModregPluginOptions> = fastifyPlugin(
  registerModules,
  { name: 'modreg', fastify: '5.x' },
);

const METHODS: HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

async function registerModules(app: FastifyInstance, options: ModregPluginOptions) {
  const { modreg, resolveTenant, catchAll = false } = checkOptions(options);
  await modreg.ready();
  if (!app.hasRequestDecorator('tenant')) app.decorateRequest('tenant', null);
  const prefixes = new Set(
    modreg.modules().flatMap((m) => (m.routes.prefix === null ? [] : [trimSlash(m.routes.prefix)])),
  );
  const base = app.prefix;
  // The root wildcard of catchAll: '' as a prefix, with only its `/*` route unless a module
  // is served at the root anyway.
  const rootOnlyForCatchAll = catchAll && !prefixes.has('');
  if (catchAll) prefixes.add('');
  const mounts = createModuleMounts({
    modreg,
    mounted: [...prefixes].map((prefix) => base + prefix),
    base,
    paths: modulePathsFor(app),
    onProblem: (message) => app.log.warn(message),
  });
  app.addHook('onClose', async () => mounts.stop());

  for (const prefix of prefixes) {
    const at = base + prefix;
    const dispatch = async function (
      this: FastifyInstance,
      request: FastifyRequest,
      reply: FastifyReply,
    ) {
      const owner = mounts.owner(at, request.url);
      if (owner === undefined) return reply.callNotFound();
      const resolved = resolveTenant(request);
      const tenant = isThenable(resolved) ? await resolved : resolved;
      const verdict = await admitRequest(modreg, owner.module, tenant);
      if (!verdict.admitted) return reply.code(verdict.status).send(verdict.body);
      const found = owner.paths.find(request.method, request.url);
      if (found === null) return reply.callNotFound();
      request.tenant = verdict.tenant;
      request.params = found.params;
      return (found.handler as MountedHandler)(request, reply, this);
    };
    await app.register(
      async (context) => {
        if (prefix !== '' || !rootOnlyForCatchAll) {
          context.route({ method: METHODS, url: '/', handler: dispatch });
        }
        context.route({ method: METHODS, url: '/*', handler: dispatch });
      },
      { prefix },
    );
  }
}

function checkOptions(options: ModregPluginOptions): ModregPluginOptions {
  const given = (options ?? {}) as Partial<ModregPluginOptions>;
  if (typeof given.modreg?.moduleStatus !== 'function') {
    throw new ModregError(
      'usage',
      `modregPlugin needs { modreg }, the instance createModreg() made; got ${shownValue(given.modreg)}.`,
    );
  }
  if (typeof given.resolveTenant !== 'function') {
    throw new ModregError(
      'usage',
      `modregPlugin needs { resolveTenant }, a function of the request giving the tenant id (such as tenantFromHeader('x-tenant-id')); got ${shownValue(given.resolveTenant)}.`,
    );
  }
  return given as ModregPluginOptions;
}

/** A resolver reading the tenant id from a request header (default `x-tenant-id`). */
export function tenantFromHeader(name = 'x-tenant-id'): ResolveTenant {
  const key = name.toLowerCase();
  return (request) => {
    const value = request.headers[key];
    const first = Array.isArray(value) ? value[0] : value;
    return first === undefined || first === '' ? undefined : first;
  };
}

/** A resolver taking the tenant id from the first label of the host name (`acme.example.com`). */
export function tenantFromSubdomain(): ResolveTenant {
  return (request) => {
    const labels = request.hostname.split('.');
    return labels.length > 2 ? labels[0] : undefined;
  };
}
