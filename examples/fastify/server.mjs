// A multi-tenant Fastify 5 server on fixtures/saas: each tenant (the x-tenant-id header) gets
// the modules switched on for it with the modreg CLI, live, without a restart.
// Settings (all optional): PORT, MODREG_ROOT, MODREG_MODULES, MODREG_STORE; see README.md.
import { fileURLToPath } from 'node:url';
import Fastify from 'fastify';
import { createModreg } from 'modreg';
import { modregPlugin, tenantFromHeader } from 'modreg/fastify';

const modreg = createModreg({
  // Paths below are relative to the root; by default the repository this example is in.
  root: process.env.MODREG_ROOT ?? fileURLToPath(new URL('../..', import.meta.url)),
  // Scan the modules at start: no `modreg discover` is needed for the server itself.
  registry: { modulesDir: process.env.MODREG_MODULES ?? 'fixtures/saas' },
  // A JSON store directory, or redis://host:port[?prefix=app:] to share state between servers.
  store: process.env.MODREG_STORE ?? '.modreg/state',
});

const app = Fastify({ logger: { level: 'warn' } });
app.get('/health', async (_request, reply) => {
  const health = modreg.health();
  return reply
    .code(health.status === 'failing' ? 503 : 200)
    .send({ ...health, stats: modreg.stats() });
});
// Waits for modreg.ready(): the registry gives the prefixes to mount.
await app.register(modregPlugin, { modreg, resolveTenant: tenantFromHeader('x-tenant-id') });
// The plugin leaves modreg open (it did not make it): close it after the HTTP server.
app.addHook('onClose', () => modreg.close());

const url = await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' });
console.log(`listening on ${url}`);

const shutdown = () => app.close();
process.once('SIGTERM', shutdown);
process.once('SIGINT', shutdown);
