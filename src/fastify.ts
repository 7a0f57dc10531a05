/**
 * `modreg/fastify`: the Fastify 5 plugin. Loads fastify-plugin; Fastify's router
 * (find-my-way) is loaded when the plugin is registered, never by importing the core entry.
 */
export {
  type ModregPluginOptions,
  modregPlugin,
  type RequestTenant,
  type ResolveTenant,
  tenantFromHeader,
  tenantFromSubdomain,
} from './adapters/fastify.js';
