import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { onTestFinished } from 'vitest';
import { type ModregPluginOptions, modregPlugin, tenantFromHeader } from '../../src/fastify.js';
import type { Modreg } from '../../src/runtime/modreg.js';
import type { ModuleHooks } from '../../src/runtime/types.js';

/** A Fastify app with the plugin registered, and the warnings and errors it logged. */
export interface TestApp {
  app: FastifyInstance;
  /** Messages logged at warn or error level, in order. */
  logged: string[];
  /** One injected request, as the tenant when given (the x-tenant-id header). */
  call(request: InjectRequest): Promise<{ status: number; body: unknown }>;
}

/** What {@link TestApp.call} sends. */
export interface InjectRequest {
  url: string;
  tenant?: string;
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  payload?: object;
}

/**
 * Builds an app around `modreg`, closed when the test finishes: `before` adds the app's own
 * routes and plugins ahead of modreg's, `plugin` overrides the plugin options.
 */
export async function testApp(
  modreg: Modreg,
  options: {
    before?: (app: FastifyInstance) => void | Promise<void>;
    plugin?: Partial<ModregPluginOptions>;
  } = {},
): Promise<TestApp> {
  const logged: string[] = [];
  const app = Fastify({ loggerInstance: captureLogger(logged) });
  onTestFinished(() => app.close());
  await options.before?.(app);
  await app.register(modregPlugin, {
    modreg,
    resolveTenant: tenantFromHeader(),
    ...options.plugin,
  });
  await app.ready();
  return {
    app,
    logged,
    async call({ url, tenant, method = 'GET', payload }) {
      const response = await app.inject({
        method,
        url,
        headers: tenant === undefined ? {} : { 'x-tenant-id': tenant },
        ...(payload === undefined ? {} : { payload }),
      });
      const json = (response.headers['content-type'] ?? '').toString().includes('json');
      return {
        status: response.statusCode,
        body: json && response.body !== '' ? response.json() : response.body,
      };
    },
  };
}

/** Module code answering GET /ping with its name, the tenant and the tenant's flags. */
export function ping(name: string): ModuleHooks {
  return {
    setup: ({ router }) => {
      router.route({
        method: 'GET',
        path: '/ping',
        handler: ({ tenant }) => ({ module: name, tenant: tenant.id, flags: tenant.flags }),
      });
    },
  };
}

type Log = (...args: unknown[]) => void;

/** A pino-shaped logger keeping warnings and errors as text. */
function captureLogger(logged: string[]): FastifyBaseLogger {
  // Fastify logs objects holding the request and reply: keep their error's message only.
  const text = (arg: unknown) =>
    typeof arg === 'string' ? arg : String((arg as { err?: Error })?.err?.message ?? '');
  const keep: Log = (...args) => void logged.push(args.map(text).join(' ').trim());
  const quiet: Log = () => {};
  const logger = {
    level: 'info',
    fatal: keep,
    error: keep,
    warn: keep,
    info: quiet,
    debug: quiet,
    trace: quiet,
    silent: quiet,
    child: () => logger,
  };
  return logger as unknown as FastifyBaseLogger;
}
