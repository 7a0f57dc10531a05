// One server of the Fastify benchmark (bench/fastify.ts), on 127.0.0.1, printing
// `listening on <url>`. Both modes serve GET /billing/plans with the handler of
// fixtures/saas/billing, for the tenant named by the x-tenant-id header:
//   plugin — through modreg/fastify: a createModreg instance over fixtures/saas (a memory
//            store where acme has billing and what it requires), the module mounted by the plugin;
//   bare   — the same handler registered as a plain Fastify route, no modreg at all.
// Spawned with an IPC channel, it answers the message 'cpu' with its process.cpuUsage().
// Usage: node fastify-server.mjs plugin|bare
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { modregPlugin, tenantFromHeader } from '../dist/fastify.js';
import { createModreg } from '../dist/index.js';
import { createMemoryStore } from '../dist/testing.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const mode = process.argv[2];
const app = Fastify({ logger: false });

if (mode === 'plugin') {
  const store = createMemoryStore({
    tenants: { acme: { modules: ['core', 'auth', 'users', 'billing'], flags: {} } },
  });
  const modreg = createModreg({
    root,
    registry: { modulesDir: 'fixtures/saas' },
    store,
    logger: false,
  });
  await app.register(modregPlugin, { modreg, resolveTenant: tenantFromHeader('x-tenant-id') });
  app.addHook('onClose', () => modreg.close());
} else if (mode === 'bare') {
  const { setup } = await import('../fixtures/saas/billing/index.js');
  const routes = [];
  setup({ router: { route: (route) => routes.push(route) } });
  const plans = routes.find((route) => route.path === '/plans');
  app.get('/billing/plans', (request) =>
    plans.handler({
      tenant: { id: request.headers['x-tenant-id'] },
      method: request.method,
      params: request.params,
      query: request.query,
      body: request.body,
      headers: request.headers,
      raw: request,
    }),
  );
} else {
  throw new Error(`usage: node fastify-server.mjs plugin|bare (not ${mode})`);
}

console.log(`listening on ${await app.listen({ port: 0, host: '127.0.0.1' })}`);
process.on('message', (message) => {
  if (message === 'cpu') process.send?.(process.cpuUsage());
});
// The channel must not keep the process up once the server is closed.
process.channel?.unref();
process.once('SIGTERM', () => app.close());
