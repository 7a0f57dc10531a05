/**
 * `modreg/express`: the Express 5 adapter. Express itself is loaded when the middleware is
 * made, never by importing the core entry.
 */
export {
  createExpressMiddleware,
  type ExpressAdapterOptions,
  type RequestTenant,
  type ResolveTenant,
  tenantFromHeader,
  tenantFromSubdomain,
} from './adapters/express.js';
