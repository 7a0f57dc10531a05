// The example server's twin for fixtures/runtime-failures: a short hook timeout, so a module
// whose activate never settles fails in 200 ms. MODREG_ROOT holds modules/ and .modreg/state.
import express from 'express';
import { createModreg } from 'modreg';
import { createExpressMiddleware, tenantFromHeader } from 'modreg/express';

const modreg = createModreg({
  root: process.env.MODREG_ROOT,
  registry: { modulesDir: 'modules' },
  hookTimeoutMs: 200,
});
await modreg.ready();

const app = express();
app.get('/health', (_req, res) => res.json({ ...modreg.health(), stats: modreg.stats() }));
app.get('/modules/:tenant', async (req, res) => {
  res.json(await modreg.moduleStatuses(req.params.tenant));
});
app.use(createExpressMiddleware(modreg, { resolveTenant: tenantFromHeader('x-tenant-id') }));

const server = app.listen(0, '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
process.once('SIGTERM', () => {
  server.close(() => modreg.close());
  server.closeIdleConnections();
});
