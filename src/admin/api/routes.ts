import { AdminRequestError } from '../http/request-error.js';
import { adminOpenApiDocument } from '../openapi/document.js';
import type { Route } from '../router.js';
import type { ApiContext } from './api-context.js';
import { bulkRoute } from './bulk-route.js';
import { changeRoutes } from './change-routes.js';
import { registryRoutes } from './registry-routes.js';
import { tenantRoutes } from './tenant-routes.js';

/** Every operation of the admin API, as the OpenAPI document describes them. */
export function apiRoutes(api: ApiContext): Route[] {
  let document: unknown;
  return [
    ...registryRoutes(api),
    ...tenantRoutes(api),
    ...changeRoutes(api),
    bulkRoute(api),
    {
      method: 'GET',
      path: '/api/events',
      beforeReady: true,
      async handle({ req, res }) {
        if (api.events.closed) {
          throw new AdminRequestError(
            503,
            'environment',
            'The admin server is closing; reconnect to another.',
            {
              'Retry-After': '1',
            },
          );
        }
        api.events.open(req, res);
        return undefined;
      },
    },
    {
      method: 'GET',
      path: '/api/openapi.json',
      beforeReady: true,
      async handle() {
        document ??= adminOpenApiDocument();
        return { body: document };
      },
    },
  ];
}
