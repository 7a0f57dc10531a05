import { createRequire } from 'node:module';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { shownValue } from '../message-text.js';
import type { ModuleRoute, RecordedRoute, RequestTenant } from '../runtime/types.js';
import { type HandlerResponse, isThenable, runModuleHandler } from './module-handler.js';

/** A route handler as the plugin calls it: the request, the reply, the instance it runs in. */
export type MountedHandler = (
  request: FastifyRequest,
  reply: FastifyReply,
  instance: FastifyInstance,
) => unknown;

/** One module's routes, matched the way Fastify matches its own (find-my-way, same options). */
export interface ModulePaths {
  /** The handler for the method and URL (query string included), and the path's parameters. */
  find(
    method: string,
    url: string,
  ): { handler: MountedHandler; params: Record<string, string | undefined> } | null;
  /**
   * Adds a route the module recorded, under `prefix` (the full one, the plugin's own
   * included); returns why it cannot be mounted, if it cannot.
   */
  add(route: RecordedRoute, prefix: string): string | undefined;
}

/**
 * Makes empty route sets for modules mounted in `app`. find-my-way is Fastify's own router,
 * taken from where Fastify is installed (so its version is the one Fastify uses), with the
 * options of `app` that change how a path matches; HEAD is answered for every GET unless
 * `exposeHeadRoutes` is off, as Fastify does.
 */
export function modulePathsFor(app: FastifyInstance): () => ModulePaths {
  const require = createRequire(createRequire(import.meta.url).resolve('fastify'));
  const findMyWay = require('find-my-way') as (options: object) => PathRouter;
  const config = app.initialConfig as Record<string, unknown>;
  const options: Record<string, unknown> = {
    ...Object.fromEntries(MATCHING.flatMap((k) => (k in config ? [[k, config[k]]] : []))),
    ...((config.routerOptions as object | undefined) ?? {}),
  };
  const head = config.exposeHeadRoutes !== false;
  return () => createModulePaths(findMyWay(options), head);
}

const MATCHING = [
  'caseSensitive',
  'ignoreTrailingSlash',
  'ignoreDuplicateSlashes',
  'maxParamLength',
  'allowUnsafeRegex',
  'useSemicolonDelimiter',
];

function createModulePaths(router: PathRouter, head: boolean): ModulePaths {
  const on = (method: string, prefix: string, path: string, handler: MountedHandler) => {
    const methods = method === 'GET' && head ? ['GET', 'HEAD'] : [method];
    // As Fastify does for a route '/' under a prefix: '/billing' and '/billing/' both answer.
    const paths = path === '/' && prefix !== '' ? [prefix, `${prefix}/`] : [`${prefix}${path}`];
    for (const full of new Set(paths)) router.on(methods, full, handler);
  };
  return {
    find: (method, url) => router.find(method, url),
    add(route, prefix) {
      try {
        if (route.method === 'route') {
          const definition = route.args[0] as ModuleRoute;
          on(definition.method, prefix, definition.path, neutral(definition));
          return undefined;
        }
        const [path, handler, ...more] = route.args;
        if (route.method === 'use') {
          return 'router.use takes Express middleware, which Fastify cannot run: use router.route({ method, path, handler }) or a Fastify route';
        }
        if (typeof path !== 'string' || typeof handler !== 'function' || more.length > 0) {
          return `router.${route.method}(${route.args.map((a) => shownValue(a, 30)).join(', ')}) is not a Fastify route: pass a path and one (request, reply) handler`;
        }
        on(route.method.toUpperCase(), prefix, path, native(handler as NativeHandler));
        return undefined;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    },
  };
}

/** The part of find-my-way used here. */
interface PathRouter {
  on(methods: string[], path: string, handler: MountedHandler): void;
  find(
    method: string,
    path: string,
  ): { handler: MountedHandler; params: Record<string, string | undefined> } | null;
}

type NativeHandler = (
  this: FastifyInstance,
  request: FastifyRequest,
  reply: FastifyReply,
) => unknown;

/**
 * A Fastify handler, called as Fastify would call it. One that returns nothing has sent, or
 * will send, through `reply`: the reply is returned, which tells Fastify to wait for it.
 */
function native(handler: NativeHandler): MountedHandler {
  return async (request, reply, instance) => {
    const result = await handler.call(instance, request, reply);
    return result === undefined ? reply : result;
  };
}

function neutral(route: ModuleRoute): MountedHandler {
  return (request, reply) => {
    const response = runModuleHandler(route, {
      tenant: request.tenant as RequestTenant,
      method: request.method,
      params: request.params,
      query: request.query,
      body: request.body,
      headers: request.headers,
      raw: request,
    });
    return isThenable(response)
      ? Promise.resolve(response).then((settled) => send(reply, settled))
      : send(reply, response);
  };
}

function send(reply: FastifyReply, { status, headers, body }: HandlerResponse): FastifyReply {
  reply.code(status);
  for (const name in headers) reply.header(name, headers[name]);
  if (body === undefined) return reply.send();
  // Fastify sends a string as text; a neutral handler's result is always JSON.
  if (typeof body === 'string') {
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(body));
  }
  return reply.send(body);
}
