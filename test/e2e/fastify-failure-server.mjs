// The Fastify example server's twin for fixtures/runtime-failures: a short hook timeout, so a
// module whose activate never settles fails in 200 ms. MODREG_ROOT holds modules/ and .modreg/state.
import Fastify from 'fastify';
import { createModreg } from 'modreg';
import { modregPlugin, tenantFromHeader } from 'modreg/fastify';

const modreg = createModreg({
  root: process.env.MODREG_ROOT,
  registry: { modulesDir: 'modules' },
  hookTimeoutMs: 200,
});

const app = Fastify();
app.get('/health', async () => ({ ...modreg.health(), stats: modreg.stats() }));
app.get('/modules/:tenant', async (request) => modreg.moduleStatuses(request.params.tenant));
await app.register(modregPlugin, { modreg, resolveTenant: tenantFromHeader('x-tenant-id') });
app.addHook('onClose', () => modreg.close());

console.log(`listening on ${await app.listen({ port: 0, host: '127.0.0.1' })}`);
process.once('SIGTERM', () => app.close());
