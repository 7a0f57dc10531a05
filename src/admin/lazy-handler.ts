import type { IncomingMessage, ServerResponse } from 'node:http';
import { ModregError } from '../errors.js';
import type { Modreg } from '../runtime/modreg.js';
import type { AdminHandler, AdminNext, AdminOptions } from './types.js';

/**
 * `modreg.admin(options)`: the admin handler, its code imported on the first request so that
 * a server that never mounts it never loads it. The options are checked for what makes them
 * usable at all (a way to authenticate) now; the rest, like a token too short, is found by
 * the first request, answered 500 and logged — `createAdminHandler` from `modreg/admin`
 * checks everything at once.
 */
export function createLazyAdminHandler(modreg: Modreg, options: AdminOptions = {}): AdminHandler {
  if (options.authorize === undefined && options.tokens === undefined) {
    throw new ModregError(
      'usage',
      'modreg.admin() needs { authorize } or { tokens }: the admin API allows no anonymous access.',
    );
  }
  let loading: Promise<AdminHandler> | undefined;
  const load = () => {
    loading ??= import('./create-admin-handler.js').then(({ createAdminHandler }) =>
      createAdminHandler(modreg, options),
    );
    return loading;
  };
  const handler = (req: IncomingMessage, res: ServerResponse, next?: AdminNext) => {
    load().then(
      (admin) => admin(req, res, next),
      async (error: unknown) => {
        const log = options.logger === false ? undefined : (options.logger ?? console);
        log?.error(`modreg admin: the handler cannot start: ${(error as Error)?.message ?? error}`);
        const { setSecurityHeaders } = await import('./http/security-headers.js');
        if (!res.headersSent) {
          setSecurityHeaders(res);
          res.writeHead(500, {
            'Content-Type': 'application/json; charset=utf-8',
            'Cache-Control': 'no-store',
          });
        }
        res.end(
          JSON.stringify({
            error: {
              code: 'internal',
              message: 'The admin handler cannot start; the server log says why.',
            },
          }),
        );
      },
    );
  };
  return Object.assign(handler, {
    async close() {
      if (loading === undefined) return;
      const admin = await loading.catch(() => undefined);
      await admin?.close();
    },
  });
}
